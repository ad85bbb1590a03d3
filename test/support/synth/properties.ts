/** Track event names and their properties (Segment e-commerce / media spec flavoured). */
import type { Rng } from './random.js';
import type { User } from './users.js';
import * as C from './catalog.js';
import { shared } from './json.js';

export interface TrackBody {
  readonly event: string;
  readonly properties: Record<string, unknown>;
  /** Server-side events (analytics-node) are sent by the back end. */
  readonly server?: boolean;
}

type Builder = (rng: Rng, user: User, timeMs: number) => TrackBody;

const lineCache = new Map<string, Record<string, unknown>>();

/** A basket line; the few distinct (product, quantity, position) lines are shared objects. */
function productLine(rng: Rng, p: C.Product, position: number): Record<string, unknown> {
  const quantity = rng.int(1, 3);
  const key = `${p.product_id}|${quantity}|${position}`;
  let line = lineCache.get(key);
  if (line === undefined) {
    line = shared(makeLine(p, quantity, position));
    lineCache.set(key, line);
  }
  return line;
}

function makeLine(p: C.Product, quantity: number, position: number): Record<string, unknown> {
  return {
    product_id: p.product_id,
    sku: p.sku,
    name: p.name,
    category: p.category,
    price: p.price,
    quantity,
    position,
  };
}

function basket(rng: Rng): Record<string, unknown>[] {
  const n = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) out.push(productLine(rng, rng.pick(C.PRODUCTS), i + 1));
  return out;
}

function money(value: number): number {
  return Math.round(value * 100) / 100;
}

const productViewed: Builder = (rng) => {
  const p = rng.pick(C.PRODUCTS);
  return {
    event: 'Product Viewed',
    properties: {
      product_id: p.product_id, sku: p.sku, category: p.category, name: p.name, brand: p.brand,
      variant: rng.pick(['Black', 'Forest Green', 'Glacier Blue']), price: p.price, currency: 'USD',
      url: `${C.SITE}/products/${p.sku.toLowerCase()}`,
    },
  };
};

const productAdded: Builder = (rng) => {
  const p = rng.pick(C.PRODUCTS);
  return {
    event: 'Product Added',
    properties: { cart_id: `cart_${rng.hex(10)}`, product_id: p.product_id, sku: p.sku, name: p.name, price: p.price, quantity: rng.int(1, 3), coupon: rng.chance(0.2) ? rng.pick(C.COUPONS) : null },
  };
};

const productsSearched: Builder = (rng) => {
  const props: Record<string, unknown> = { query: rng.pick(C.SEARCH_QUERIES), results: rng.int(0, 240) };
  if (rng.chance(0.35)) props['searchEngine'] = rng.pick(C.SEARCH_ENGINES);
  return { event: 'Products Searched', properties: props };
};

const checkoutStarted: Builder = (rng) => {
  const products = basket(rng);
  const value = money(products.reduce((s, p) => s + (p['price'] as number) * (p['quantity'] as number), 0));
  return { event: 'Checkout Started', properties: { order_id: `ord_${rng.hex(8)}`, value, currency: 'USD', products } };
};

const orderCompleted: Builder = (rng, user, timeMs) => {
  const products = basket(rng);
  const subtotal = money(products.reduce((s, p) => s + (p['price'] as number) * (p['quantity'] as number), 0));
  const shipping = rng.pick([0, 4.99, 9.5]);
  const tax = money(subtotal * 0.08);
  const revenue = money(subtotal + tax);
  const items = products.reduce((s, p) => s + (p['quantity'] as number), 0);
  return {
    event: 'Order Completed',
    server: rng.chance(0.3),
    properties: {
      checkout_id: `chk_${rng.hex(10)}`, order_id: `ord_${rng.hex(8)}`, affiliation: 'Online Store',
      total: money(revenue + shipping), subtotal,
      revenue: rng.chance(0.3) ? revenue.toFixed(2) : revenue,
      shipping, tax, discount: 0, coupon: rng.chance(0.25) ? rng.pick(C.COUPONS) : null, currency: 'USD',
      items, products,
      shipping_address: { city: user.place.city, region: user.place.region, postal_code: String(rng.int(10000, 99999)) },
      placed_at: new Date(timeMs).toISOString(),
    },
  };
};

const signedUp: Builder = (rng, user) => {
  const props: Record<string, unknown> = { method: rng.pick(['email', 'google', 'apple']), plan: user.traits['plan'] };
  if (rng.chance(0.3)) props['username'] = user.traits['username'] ?? `hiker_${rng.int(100, 999)}`;
  if (rng.chance(0.3)) props['referrer'] = rng.pick(C.REFERRERS);
  return { event: 'Signed Up', properties: props };
};

const loggedIn: Builder = (rng) => ({ event: 'Logged In', properties: { method: rng.pick(['password', 'google', 'magic_link', 'face_id']), remember_me: rng.chance(0.5) } });

const subscriptionStarted: Builder = (rng, _user, timeMs) => {
  const price = rng.pick(['9.99', '19.99', '99.00']);
  return {
    event: 'Subscription Started',
    server: rng.chance(0.5),
    properties: { plan: rng.pick(C.PLANS), billing_cycle: rng.pick(['monthly', 'annual']), revenue: price, currency: 'USD', trial_ends_at: new Date(timeMs + 14 * 86_400_000).toISOString() },
  };
};

const articleRead: Builder = (rng, _user, timeMs) => ({
  event: 'Article Read',
  properties: {
    article_id: `art_${rng.int(100, 999)}`, title: rng.pick(C.PAGES.filter((p) => p.category === 'Blog')).title,
    author: rng.pick(C.ARTICLE_AUTHORS), word_count: rng.int(400, 3200),
    published_at: new Date(timeMs - rng.int(1, 400) * 86_400_000).toISOString(),
    tags: ['outdoors', rng.pick(['winter', 'running', 'camping', 'gear'])],
  },
});

const videoStarted: Builder = (rng) => {
  const props: Record<string, unknown> = { video_id: `vid_${rng.hex(6)}`, title: rng.pick(['Packing a 30L pack', 'Lacing for descents', 'Layering 101']), total_length: rng.int(60, 900), position: 0, quality: rng.pick(['720p', '1080p', 'auto']), livestream: false };
  if (rng.chance(0.04)) props['length'] = props['total_length'];
  return { event: 'Video Playback Started', properties: props };
};

const buttonClicked: Builder = (rng) => ({
  event: 'Button Clicked',
  properties: { button_id: `btn-${rng.hex(4)}`, label: rng.pick(C.BUTTON_LABELS), location: { section: rng.pick(['header', 'hero', 'footer']), position: { x: rng.int(0, 1400), y: rng.int(0, 900) } } },
});

const experimentViewed: Builder = (rng) => ({
  event: 'Experiment Viewed',
  properties: { experiment_id: `exp_${rng.int(10, 40)}`, experiment_name: rng.pick(['Checkout copy', 'Free shipping banner']), variation_id: rng.int(0, 2), variation_name: rng.pick(['control', 'variant_a', 'variant_b']) },
});

const appOpened: Builder = (rng, user) => ({
  event: 'Application Opened',
  properties: { from_background: rng.chance(0.6), version: user.mobile?.app['version'] ?? null, build: user.mobile?.app['build'] ?? null },
});

const appInstalled: Builder = (_rng, user) => ({ event: 'Application Installed', properties: { version: user.mobile?.app['version'] ?? null, build: user.mobile?.app['build'] ?? null } });

const pushReceived: Builder = (rng) => ({ event: 'Push Notification Received', properties: { campaign: { id: `cmp_${rng.hex(6)}`, name: rng.pick(['Back in stock', 'Weekend sale']), medium: 'push' } } });

const emptyEvent: Builder = () => ({ event: 'Newsletter Opened', properties: {} });

const SHARED: readonly (readonly [Builder, number])[] = [
  [productViewed, 22], [productAdded, 10], [productsSearched, 8], [checkoutStarted, 6], [orderCompleted, 8],
  [signedUp, 3], [loggedIn, 6], [subscriptionStarted, 2], [articleRead, 6], [videoStarted, 4],
  [buttonClicked, 8], [experimentViewed, 4], [emptyEvent, 1],
];

const MOBILE: readonly (readonly [Builder, number])[] = [...SHARED, [appOpened, 10], [appInstalled, 1], [pushReceived, 3]];

export function trackBody(rng: Rng, user: User, timeMs: number): TrackBody {
  const builder = rng.weighted(user.platform === 'web' ? SHARED : MOBILE);
  return builder(rng, user, timeMs);
}
