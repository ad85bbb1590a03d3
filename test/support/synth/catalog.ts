/**
 * Static value pools for the synthetic Segment generator. Values are chosen so that
 * neighbouring fields never share a string (city vs region, app version vs build, device
 * name vs model), which makes a swapped mapping visible in tests.
 */

import { shared } from './json.js';

export const SITE = 'https://www.acme.example';

export interface WebBrowser {
  readonly userAgent: string;
  readonly mobile: boolean;
  readonly screen: { readonly width: number; readonly height: number; readonly density: number };
  readonly brands?: readonly { readonly brand: string; readonly version: string }[];
  readonly platform?: string;
  /** Pre-built `context.userAgentData` (Chromium browsers only). */
  readonly uaData?: object;
}

function browser(b: WebBrowser): WebBrowser {
  const uaData = b.brands ? shared({ brands: b.brands, mobile: b.mobile, platform: b.platform }) : undefined;
  return { ...b, screen: shared({ ...b.screen }), ...(uaData ? { uaData } : {}) };
}

const CHROMIUM = (v: string, extra?: string): { brand: string; version: string }[] => [
  { brand: 'Chromium', version: v },
  ...(extra ? [{ brand: extra, version: v }] : [{ brand: 'Google Chrome', version: v }]),
  { brand: 'Not?A_Brand', version: '99' },
];

const BROWSER_LIST: readonly (readonly [WebBrowser, number])[] = [
  [{ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36', mobile: false, screen: { width: 1920, height: 1080, density: 1 }, brands: CHROMIUM('141'), platform: 'Windows' }, 30],
  [{ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36', mobile: false, screen: { width: 1512, height: 982, density: 2 }, brands: CHROMIUM('140'), platform: 'macOS' }, 14],
  [{ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15', mobile: false, screen: { width: 1440, height: 900, density: 2 } }, 10],
  [{ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:143.0) Gecko/20100101 Firefox/143.0', mobile: false, screen: { width: 2560, height: 1440, density: 1 } }, 7],
  [{ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:142.0) Gecko/20100101 Firefox/142.0', mobile: false, screen: { width: 1366, height: 768, density: 1 } }, 2],
  [{ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.3537.57', mobile: false, screen: { width: 1536, height: 864, density: 1.25 }, brands: CHROMIUM('141', 'Microsoft Edge'), platform: 'Windows' }, 9],
  [{ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1', mobile: true, screen: { width: 390, height: 844, density: 3 } }, 18],
  [{ userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1', mobile: true, screen: { width: 820, height: 1180, density: 2 } }, 3],
  [{ userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36', mobile: true, screen: { width: 412, height: 915, density: 2.625 }, brands: CHROMIUM('141'), platform: 'Android' }, 7],
];

export const WEB_BROWSERS: readonly (readonly [WebBrowser, number])[] = BROWSER_LIST.map(([b, w]) => [browser(b), w] as const);

export interface Place {
  readonly city: string;
  readonly region: string;
  readonly country: string;
  readonly countryName: string;
  readonly lat: number;
  readonly lon: number;
  readonly timezone: string;
  readonly locale: string;
  readonly carriers: readonly string[];
}

export const PLACES: readonly Place[] = [
  { city: 'Austin', region: 'Texas', country: 'US', countryName: 'United States', lat: 30.2672, lon: -97.7431, timezone: 'America/Chicago', locale: 'en-US', carriers: ['T-Mobile', 'Verizon', 'AT&T'] },
  { city: 'Seattle', region: 'Washington', country: 'US', countryName: 'United States', lat: 47.6062, lon: -122.3321, timezone: 'America/Los_Angeles', locale: 'en-US', carriers: ['Verizon', 'AT&T'] },
  { city: 'Brooklyn', region: 'New York', country: 'US', countryName: 'United States', lat: 40.6782, lon: -73.9442, timezone: 'America/New_York', locale: 'en-US', carriers: ['T-Mobile', 'Verizon'] },
  { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', country: 'FR', countryName: 'France', lat: 45.764, lon: 4.8357, timezone: 'Europe/Paris', locale: 'fr-FR', carriers: ['Orange F', 'SFR', 'Free'] },
  { city: 'Manchester', region: 'England', country: 'GB', countryName: 'United Kingdom', lat: 53.4808, lon: -2.2426, timezone: 'Europe/London', locale: 'en-GB', carriers: ['EE', 'Vodafone UK', 'O2 - UK'] },
  { city: 'Munich', region: 'Bavaria', country: 'DE', countryName: 'Germany', lat: 48.1351, lon: 11.582, timezone: 'Europe/Berlin', locale: 'de-DE', carriers: ['Telekom.de', 'Vodafone.de'] },
  { city: 'Utrecht', region: 'Utrecht Province', country: 'NL', countryName: 'Netherlands', lat: 52.0907, lon: 5.1214, timezone: 'Europe/Amsterdam', locale: 'nl-NL', carriers: ['KPN', 'T-Mobile NL'] },
  { city: 'Toronto', region: 'Ontario', country: 'CA', countryName: 'Canada', lat: 43.6532, lon: -79.3832, timezone: 'America/Toronto', locale: 'en-CA', carriers: ['Rogers', 'Bell'] },
  { city: 'Melbourne', region: 'Victoria', country: 'AU', countryName: 'Australia', lat: -37.8136, lon: 144.9631, timezone: 'Australia/Melbourne', locale: 'en-AU', carriers: ['Telstra', 'Optus'] },
  { city: 'Bengaluru', region: 'Karnataka', country: 'IN', countryName: 'India', lat: 12.9716, lon: 77.5946, timezone: 'Asia/Kolkata', locale: 'en-IN', carriers: ['Jio 4G', 'Airtel'] },
  { city: 'Sakai', region: 'Osaka Prefecture', country: 'JP', countryName: 'Japan', lat: 34.5733, lon: 135.4828, timezone: 'Asia/Tokyo', locale: 'ja-JP', carriers: ['NTT DOCOMO', 'SoftBank'] },
  { city: 'Campinas', region: 'São Paulo', country: 'BR', countryName: 'Brazil', lat: -22.9099, lon: -47.0626, timezone: 'America/Sao_Paulo', locale: 'pt-BR', carriers: ['Vivo', 'TIM'] },
  { city: 'Guadalajara', region: 'Jalisco', country: 'MX', countryName: 'Mexico', lat: 20.6597, lon: -103.3496, timezone: 'America/Mexico_City', locale: 'es-MX', carriers: ['Telcel', 'AT&T MX'] },
];

export interface MobileDevice {
  readonly manufacturer: string;
  readonly model: string;
  readonly name: string;
  readonly osVersion: string;
  readonly screen: { readonly width: number; readonly height: number; readonly density: number };
}

export const IOS_DEVICES: readonly MobileDevice[] = [
  { manufacturer: 'Apple', model: 'iPhone15,2', name: 'iPhone', osVersion: '17.6.1', screen: { width: 393, height: 852, density: 3 } },
  { manufacturer: 'Apple', model: 'iPhone16,1', name: 'iPhone', osVersion: '18.0.1', screen: { width: 393, height: 852, density: 3 } },
  { manufacturer: 'Apple', model: 'iPhone14,5', name: 'iPhone', osVersion: '18.6.2', screen: { width: 390, height: 844, density: 3 } },
  { manufacturer: 'Apple', model: 'iPhone12,8', name: 'iPhone', osVersion: '16.7.10', screen: { width: 375, height: 667, density: 2 } },
  { manufacturer: 'Apple', model: 'iPad13,18', name: 'iPad', osVersion: '17.7', screen: { width: 820, height: 1180, density: 2 } },
];

export const ANDROID_DEVICES: readonly MobileDevice[] = [
  { manufacturer: 'samsung', model: 'SM-S918B', name: 'dm3q', osVersion: '14', screen: { width: 1080, height: 2340, density: 3 } },
  { manufacturer: 'samsung', model: 'SM-A546E', name: 'a54x', osVersion: '13', screen: { width: 1080, height: 2340, density: 2.625 } },
  { manufacturer: 'Google', model: 'Pixel 8', name: 'shiba', osVersion: '15', screen: { width: 1080, height: 2400, density: 2.625 } },
  { manufacturer: 'OnePlus', model: 'CPH2449', name: 'OP594DL1', osVersion: '14', screen: { width: 1240, height: 2772, density: 3.5 } },
  { manufacturer: 'Xiaomi', model: '2201117TG', name: 'spes', osVersion: '12', screen: { width: 1080, height: 2400, density: 2.75 } },
];

export const IOS_APPS = [
  { version: '4.2.1', build: '4021' },
  { version: '4.3.0', build: '4300' },
  { version: '4.1.7', build: '4107' },
] as const;

export const ANDROID_APPS = [
  { version: '4.2.0', build: '420011' },
  { version: '4.3.1', build: '431002' },
] as const;

export const LIBRARIES = {
  ajsNext: shared({ name: 'analytics.js', version: 'next-1.81.0' }),
  ajsClassic: shared({ name: 'analytics.js', version: '2.11.1' }),
  ios: shared({ name: 'analytics-ios', version: '4.1.8' }),
  android: shared({ name: 'analytics-android', version: '4.11.3' }),
  node: shared({ name: 'analytics-node', version: '2.1.0' }),
} as const;

export const FIRST_NAMES = ['Maya', 'Lucas', 'Amara', 'Kenji', 'Sofia', 'Noah', 'Priya', 'Mateo', 'Chloé', 'Oskar', 'Leila', 'Tomás', 'Hana', 'Declan', 'Ines', 'Ravi', 'Freya', 'Jonas', 'Zara', 'Émile'] as const;
export const LAST_NAMES = ['Lefèvre', 'Okafor', 'Tanaka', 'Johansson', 'Moreau', 'Patel', 'García', 'Schneider', 'Nguyen', 'Kowalski', 'Brennan', 'Silva', 'Haddad', 'Fischer', 'Murphy', 'Costa'] as const;
export const EMAIL_DOMAINS = ['example.com', 'mail.example.org', 'acme-test.io', 'inbox.example.net'] as const;
export const PLANS = ['free', 'starter', 'pro', 'team', 'enterprise'] as const;
export const INDUSTRIES = ['Retail', 'Software', 'Healthcare', 'Logistics', 'Education', 'Hospitality'] as const;
export const COMPANY_WORDS = ['Northwind', 'Bluefin', 'Copperleaf', 'Granite', 'Harbor', 'Juniper', 'Lumen', 'Meridian', 'Oakridge', 'Quartz', 'Riverbend', 'Summit'] as const;
export const COMPANY_SUFFIXES = ['Labs', 'Traders', 'Outfitters', 'Analytics', 'Logistics', 'Studio'] as const;

export interface PageDef {
  readonly path: string;
  readonly title: string;
  readonly name?: string;
  readonly category?: string;
  readonly search?: string;
}

/** Covers every name/category combination: both, name only, category only, neither. */
export const PAGES: readonly PageDef[] = [
  { path: '/', title: 'Acme Outfitters — Gear for the Outdoors', name: 'Home' },
  { path: '/products/trail-runner-2', title: 'Trail Runner 2', name: 'Product Detail', category: 'Products' },
  { path: '/products/summit-shell-jacket', title: 'Summit Shell Jacket', name: 'Product Detail', category: 'Products' },
  { path: '/collections/jackets', title: 'Jackets', name: 'Jackets', category: 'Collections' },
  { path: '/cart', title: 'Your Cart', name: 'Cart', category: 'Checkout' },
  { path: '/checkout/shipping', title: 'Shipping — Checkout', name: 'Shipping', category: 'Checkout' },
  { path: '/blog/how-to-layer-for-winter', title: 'How to Layer for Winter', category: 'Blog' },
  { path: '/blog/trail-etiquette', title: 'Trail Etiquette 101', category: 'Blog' },
  { path: '/search', title: 'Search results', name: 'Search Results', search: '?q=waterproof+boots' },
  { path: '/help/returns', title: 'Returns & Exchanges' },
  { path: '/pricing', title: 'Acme Club Membership' },
  { path: '/account/orders', title: 'Order History', name: 'Order History', category: 'Account' },
];

export interface ScreenDef {
  readonly name?: string;
  readonly category?: string;
}

export const SCREENS: readonly ScreenDef[] = [
  { name: 'Home' },
  { name: 'Product Detail', category: 'Products' },
  { name: 'Cart', category: 'Checkout' },
  { name: 'Order Confirmation', category: 'Checkout' },
  { category: 'Onboarding' },
  { category: 'Settings' },
  { name: 'Search' },
  {},
];

export interface Product {
  readonly product_id: string;
  readonly sku: string;
  readonly name: string;
  readonly brand: string;
  readonly category: string;
  readonly price: number;
}

export const PRODUCTS: readonly Product[] = [
  { product_id: 'prd_1001', sku: 'TR2-BLK-42', name: 'Trail Runner 2', brand: 'Acme', category: 'Footwear', price: 129.99 },
  { product_id: 'prd_1002', sku: 'SSJ-RED-M', name: 'Summit Shell Jacket', brand: 'Acme', category: 'Jackets', price: 219 },
  { product_id: 'prd_1003', sku: 'MW-BAS-L', name: 'Merino Base Layer', brand: 'Northfold', category: 'Base Layers', price: 74.5 },
  { product_id: 'prd_1004', sku: 'HP-30L-GRN', name: 'Hydra Pack 30L', brand: 'Acme', category: 'Packs', price: 149.95 },
  { product_id: 'prd_1005', sku: 'WS-WOOL-3PK', name: 'Wool Socks (3 pack)', brand: 'Ridgeway', category: 'Accessories', price: 24 },
  { product_id: 'prd_1006', sku: 'TP-ALU-2', name: 'Trekking Poles', brand: 'Ridgeway', category: 'Gear', price: 89.99 },
  { product_id: 'prd_1007', sku: 'HL-400', name: 'Headlamp 400', brand: 'Lumenix', category: 'Gear', price: 39.99 },
];

export const REFERRERS = ['https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/', 'https://t.co/x8Kd2LmQa1', 'https://www.instagram.com/', 'https://news.ycombinator.com/item?id=41234567', 'android-app://com.google.android.gm/'] as const;

export const CAMPAIGNS = ([
  { source: 'newsletter', medium: 'email', name: 'fall_sale_2026', term: 'rain jacket', content: 'hero_image' },
  { source: 'google', medium: 'cpc', name: 'brand_search_q4', term: 'acme outfitters', content: 'ad_variant_b' },
  { source: 'instagram', medium: 'social', name: 'trail_stories', term: 'hiking boots', content: 'reel_0412' },
  { source: 'partner_blog', medium: 'referral', name: 'gear_guide_collab', term: 'best daypack', content: 'sidebar_link' },
] as const).map((c) => shared({ ...c }));

export const SEARCH_QUERIES = ['waterproof boots', 'merino', 'ultralight tent', 'kids rain jacket', 'headlamp', 'trail runner size 44'] as const;
export const SEARCH_ENGINES = ['google', 'bing', 'duckduckgo'] as const;
export const ARTICLE_AUTHORS = ['Rosa Delgado', 'Ahmed Karim', 'Lena Vogel'] as const;
export const BUTTON_LABELS = ['Add to cart', 'Subscribe', 'Find a store', 'Size guide', 'Apply coupon'] as const;
export const COUPONS = ['FALL20', 'WELCOME10', 'FREESHIP'] as const;
export const PLACEHOLDER_IDS = ['anonymous', 'null', 'undefined', '0', 'unknown', '00000000-0000-0000-0000-000000000000'] as const;
export const IP_FIRST_OCTETS = [23, 45, 66, 73, 81, 98, 104, 142, 176, 185, 203] as const;
