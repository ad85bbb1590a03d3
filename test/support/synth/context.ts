/**
 * Segment `context` objects for web (analytics.js), mobile (iOS/Android) and server sources.
 * Contexts are produced directly as JSON text (RawJson): the parts that never change for a
 * user are serialised once per user, which keeps the generator fast.
 */
import type { Rng } from './random.js';
import type { User } from './users.js';
import * as C from './catalog.js';
import { RawJson, shared, str, toJson } from './json.js';

function pageReferrer(rng: Rng): string {
  const r = rng.float();
  if (r < 0.4) return '';
  if (r < 0.7) return C.SITE + rng.pick(C.PAGES).path;
  return rng.pick(C.REFERRERS);
}

const pageInfoCache = new Map<string, Record<string, string>>();

/** `context.page` for a page view (shared, read-only objects when they repeat). */
export function pageInfo(rng: Rng, page: C.PageDef): Record<string, string> {
  const referrer = pageReferrer(rng);
  const randomSearch = page.search === undefined && rng.chance(0.05);
  const search = page.search ?? (randomSearch ? `?ref=${rng.hex(6)}` : '');
  const make = (): Record<string, string> => ({ path: page.path, referrer, search, title: page.title, url: C.SITE + page.path + search });
  if (randomSearch) return make();
  const key = `${page.path}\n${referrer}`;
  let info = pageInfoCache.get(key);
  if (info === undefined) {
    info = shared(make());
    pageInfoCache.set(key, info);
  }
  return info;
}

/** Per-user JSON fragments, each starting with a comma. */
interface Fragments {
  /** web: ip, library, locale  |  mobile: device … location */
  readonly head: string;
  /** web: screen, timezone  |  mobile: os, screen, timezone */
  readonly tail: string;
  readonly userAgent: string;
  readonly networks: readonly string[];
}

const fragments = new WeakMap<User, Fragments>();

function fragmentsOf(user: User): Fragments {
  let f = fragments.get(user);
  if (f !== undefined) return f;
  const m = user.mobile;
  if (m === undefined) {
    const browser = user.browser as C.WebBrowser;
    const library = user.index % 7 === 3 ? C.LIBRARIES.ajsClassic : C.LIBRARIES.ajsNext;
    f = {
      head: `,"ip":${str(user.ip)},"library":${toJson(library)},"locale":${str(user.place.locale)}`,
      tail: `,"screen":${toJson(browser.screen)},"timezone":${str(user.place.timezone)}`,
      userAgent: `,"userAgent":${str(browser.userAgent)}`,
      networks: [],
    };
  } else {
    const carrier = user.place.carriers[user.index % user.place.carriers.length] as string;
    f = {
      head: `,"device":${toJson(m.device)},"ip":${str(user.ip)},"library":${toJson(m.library)},"locale":${str(user.place.locale)}` +
        (m.location ? `,"location":${toJson(m.location)}` : ''),
      tail: `,"os":${toJson(m.os)},"screen":${toJson(m.screen)},"timezone":${str(user.place.timezone)}`,
      userAgent: m.userAgent ? `,"userAgent":${str(m.userAgent)}` : '',
      networks: [false, true].flatMap((wifi) => [false, true].map((bluetooth) => `,"network":${JSON.stringify({ bluetooth, carrier, cellular: !wifi, wifi })}`)),
    };
  }
  fragments.set(user, f);
  return f;
}

function webContext(rng: Rng, user: User, page: Record<string, string>): RawJson {
  const f = fragmentsOf(user);
  const browser = user.browser as C.WebBrowser;
  let out = '{';
  if (rng.chance(0.02)) out += '"active":false,';
  if (rng.chance(0.15)) out += `"campaign":${toJson(rng.pick(C.CAMPAIGNS))},`;
  out += f.head.slice(1) + `,"page":${toJson(page)}` + f.tail;
  if (rng.chance(0.1)) out += `,"traits":${toJson(user.ctxTraits)}`;
  out += f.userAgent;
  if (browser.uaData && rng.chance(0.15)) out += `,"userAgentData":${toJson(browser.uaData)}`;
  return new RawJson(out + '}');
}

function mobileContext(rng: Rng, user: User): RawJson {
  const m = user.mobile;
  if (!m) throw new Error('mobile context for a web user');
  const f = fragmentsOf(user);
  let out = '{';
  if (rng.chance(0.03)) out += '"active":false,';
  out += `"app":${toJson(m.app)}`;
  if (rng.chance(0.05)) out += `,"campaign":${toJson(rng.pick(C.CAMPAIGNS))}`;
  out += f.head;
  out += f.networks[(rng.chance(0.62) ? 2 : 0) + (rng.chance(0.2) ? 1 : 0)] as string;
  out += f.tail;
  const r = rng.float();
  if (r < 0.1) out += `,"traits":${toJson(user.ctxTraits)}`;
  else if (r < 0.3) out += `,"traits":${toJson(m.anonTraits)}`;
  if (f.userAgent && rng.chance(0.4)) out += f.userAgent;
  return new RawJson(out + '}');
}

function serverContext(rng: Rng, user: User): RawJson {
  let out = `{"library":${toJson(C.LIBRARIES.node)}`;
  if (rng.chance(0.5)) out += `,"ip":${str(user.ip)}`;
  if (rng.chance(0.3)) out += `,"traits":${toJson(user.ctxTraits)}`;
  return new RawJson(out + '}');
}

export type Channel = 'client' | 'mobile' | 'server';

/** `page` is the page being viewed (web only); a random one when absent. */
export function buildContext(rng: Rng, user: User, channel: Channel, page?: Record<string, string>): RawJson {
  if (channel === 'server') return serverContext(rng, user);
  return user.platform === 'web' ? webContext(rng, user, page ?? pageInfo(rng, rng.pick(C.PAGES))) : mobileContext(rng, user);
}
