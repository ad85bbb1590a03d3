/**
 * The synthetic user pool. Each user has a fixed platform, device, place and traits so that
 * the messages of one user look like they came from one person.
 */
import type { Rng } from './random.js';
import * as C from './catalog.js';
import { shared } from './json.js';

export type Platform = 'web' | 'ios' | 'android';

export interface Company {
  readonly groupId: string;
  readonly companyId: string;
  readonly name: string;
  readonly plan: string;
  readonly employees: number;
  readonly createdAt: string;
  readonly industry: string;
  readonly website: string;
}

export interface User {
  readonly index: number;
  readonly userId: string | number;
  /** Earlier anonymous ids; the first is the current one on most events. */
  readonly anonIds: readonly string[];
  /** An id the user had before a migration; used as an alias `previousId` sometimes. */
  readonly legacyId: string;
  readonly platform: Platform;
  readonly place: C.Place;
  readonly country: string;
  readonly ip: string;
  /** Client clock skew in ms (originalTimestamp / sentAt are in the client's clock). */
  readonly skewMs: number;
  readonly browser?: C.WebBrowser;
  readonly device?: C.MobileDevice;
  readonly mobile?: MobileParts;
  readonly traits: Record<string, unknown>;
  /** What the client library caches as `context.traits` for this user. */
  readonly ctxTraits: Record<string, unknown>;
  readonly company: Company;
  // mutable bookkeeping for alias planning
  uidEvents: number;
  firstUidTime: number;
  aliasCount: number;
  inCandidates: boolean;
}

export interface MobileParts {
  readonly app: Record<string, string>;
  readonly device: Record<string, unknown>;
  readonly os: { name: string; version: string };
  readonly screen: { width: number; height: number; density: number };
  /** Only when the user granted location access. */
  readonly location?: Record<string, unknown>;
  readonly library: { name: string; version: string };
  readonly userAgent?: string;
  /** `{anonymousId}`: the minimal `context.traits` of the mobile libraries. */
  readonly anonTraits: object;
}

const DAY_MS = 86_400_000;

export function makeCompanies(rng: Rng, n: number, startMs: number): Company[] {
  const out: Company[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${rng.pick(C.COMPANY_WORDS)} ${rng.pick(C.COMPANY_SUFFIXES)}`;
    out.push({
      groupId: `org_${String(i + 1).padStart(4, '0')}`,
      companyId: `cmp-${rng.hex(6)}`,
      name: i >= C.COMPANY_WORDS.length ? `${name} ${i + 1}` : name,
      plan: rng.pick(C.PLANS),
      employees: rng.pick([4, 12, 38, 150, 420, 2600]) + rng.int(0, 9),
      createdAt: new Date(startMs - rng.int(30, 2000) * DAY_MS).toISOString(),
      industry: rng.pick(C.INDUSTRIES),
      website: `https://${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`,
    });
  }
  return out;
}

function ipv4(rng: Rng): string {
  return `${rng.pick(C.IP_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function countryField(rng: Rng, place: C.Place): string {
  const r = rng.float();
  if (r < 0.84) return place.country;
  if (r < 0.92) return place.country.toLowerCase();
  return place.countryName;
}

function makeTraits(rng: Rng, index: number, first: string, last: string, startMs: number, company: Company): Record<string, unknown> {
  const slug = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
  const t: Record<string, unknown> = { email: `${slug}${index}@${rng.pick(C.EMAIL_DOMAINS)}` };
  const style = rng.float();
  if (style < 0.45) {
    t['firstName'] = first;
    t['lastName'] = last;
  } else if (style < 0.75) {
    t['first_name'] = first;
    t['last_name'] = last;
  } else if (style < 0.9) {
    t['name'] = `${first} ${last}`;
  } else {
    t['name'] = `${first} ${last}`;
    t['firstName'] = first;
  }
  if (rng.chance(0.5)) t['username'] = `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}_${rng.int(10, 9999)}`;
  if (rng.chance(0.55)) t['phone'] = rng.chance(0.15) ? null : `+1-555-${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}`;
  if (rng.chance(0.35)) t['avatar'] = `https://cdn.acme.example/avatars/${rng.hex(12)}.png`;
  const created = startMs - rng.int(1, 900) * DAY_MS - rng.int(0, DAY_MS);
  t['createdAt'] = rng.chance(0.7) ? new Date(created).toISOString() : Math.floor(created / 1000);
  t['plan'] = rng.pick(C.PLANS);
  if (rng.chance(0.4)) t['company'] = { id: company.companyId, name: company.name, industry: company.industry, employee_count: company.employees };
  if (rng.chance(0.2)) t['title'] = null;
  if (rng.chance(0.3)) t['logins'] = rng.int(1, 300);
  return t;
}

function makeMobile(rng: Rng, platform: 'ios' | 'android', device: C.MobileDevice, place: C.Place, country: string, anonymousId: string): MobileParts {
  const app = platform === 'ios' ? rng.pick(C.IOS_APPS) : rng.pick(C.ANDROID_APPS);
  const deviceObj: Record<string, unknown> = {
    id: platform === 'ios' ? rng.uuid().toUpperCase() : rng.hex(16),
    manufacturer: device.manufacturer,
    model: device.model,
    name: device.name,
    type: platform,
  };
  // Since iOS 14 / Android 12 most users opt out of ad tracking and no advertisingId is sent.
  const adTracking = rng.chance(0.4);
  if (adTracking) deviceObj['advertisingId'] = platform === 'ios' ? rng.uuid().toUpperCase() : rng.uuid();
  deviceObj['adTrackingEnabled'] = adTracking;
  if (platform === 'ios' ? rng.chance(0.35) : rng.chance(0.2)) deviceObj['token'] = rng.hex(64);
  const location = rng.chance(0.45)
    ? shared({
        city: place.city,
        region: place.region,
        country,
        latitude: Math.round((place.lat + rng.fixed(-0.05, 0.05, 4)) * 1e4) / 1e4,
        longitude: Math.round((place.lon + rng.fixed(-0.05, 0.05, 4)) * 1e4) / 1e4,
        speed: 0,
      })
    : undefined;
  const parts: MobileParts = {
    app: shared({
      name: 'Acme Outfitters',
      version: app.version,
      build: app.build,
      namespace: platform === 'ios' ? 'com.acmeoutfitters.ios' : 'com.acmeoutfitters.android',
    }),
    device: shared(deviceObj),
    os: shared({ name: platform === 'ios' ? 'iOS' : 'Android', version: device.osVersion }),
    screen: shared({ ...device.screen }),
    library: platform === 'ios' ? C.LIBRARIES.ios : C.LIBRARIES.android,
    anonTraits: shared({ anonymousId }),
    ...(location ? { location } : {}),
    ...(platform === 'android' ? { userAgent: `Dalvik/2.1.0 (Linux; U; Android ${device.osVersion}; ${device.model} Build/${rng.pick(['UP1A.231005.007', 'TP1A.220624.014', 'AP2A.240805.005'])})` } : {}),
  };
  return parts;
}

function cachedTraits(rng: Rng, traits: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { email: traits['email'], plan: traits['plan'] };
  for (const key of ['firstName', 'first_name', 'lastName', 'last_name', 'name', 'username']) {
    if (traits[key] !== undefined && rng.chance(0.7)) out[key] = traits[key];
  }
  if (rng.chance(0.2)) out['referral_code'] = null;
  return shared(out);
}

export function makeUser(rng: Rng, index: number, startMs: number, companies: readonly Company[]): User {
  const platform: Platform = rng.weighted<Platform>([['web', 55], ['ios', 25], ['android', 20]]);
  const place = rng.pick(C.PLACES);
  const country = countryField(rng, place);
  const first = rng.pick(C.FIRST_NAMES);
  const last = rng.pick(C.LAST_NAMES);
  const company = rng.pick(companies);
  const numeric = rng.chance(0.04);
  const userId: string | number = numeric ? 100000 + index * 7 + rng.int(0, 6) : `user_${String(index + 1).padStart(5, '0')}`;
  const skewMs = rng.chance(0.06) ? rng.int(-90, 90) * 60_000 : rng.int(-1500, 1500);
  const anonIds = [rng.uuid(), rng.uuid(), rng.uuid()];
  const traits = shared(makeTraits(rng, index, first, last, startMs, company));
  const base = {
    index, userId, anonIds, legacyId: `legacy-${rng.hex(10)}`, platform, place, country, ip: ipv4(rng), skewMs,
    traits, ctxTraits: cachedTraits(rng, traits), company,
    uidEvents: 0, firstUidTime: Number.POSITIVE_INFINITY, aliasCount: 0, inCandidates: false,
  };
  if (platform === 'web') return { ...base, browser: rng.weighted(C.WEB_BROWSERS) };
  const device = rng.pick(platform === 'ios' ? C.IOS_DEVICES : C.ANDROID_DEVICES);
  return { ...base, device, mobile: makeMobile(rng, platform, device, place, country, anonIds[0] as string) };
}
