/** One builder per Segment call type. Each returns the message object (keys in archive order). */
import type { Rng } from './random.js';
import type { Company, User } from './users.js';
import { buildContext, pageInfo, type Channel } from './context.js';
import { trackBody } from './properties.js';
import * as E from './envelope.js';
import * as C from './catalog.js';
import { shared, type RawJson } from './json.js';

export interface GenState {
  readonly rng: Rng;
  readonly users: readonly User[];
  readonly web: readonly User[];
  readonly mobile: readonly User[];
  /** Users with enough earlier userId-bearing track/identify lines to be aliased "late". */
  readonly candidates: User[];
}

/** Users become alias candidates after this many earlier track/identify lines with their userId. */
export const ALIAS_MIN_PRIOR = 2;
/** A user can be aliased from at most this many previous ids (3 anonymous ids + 1 legacy id). */
const MAX_ALIASES = 4;

/** Skewed choice: a few heavy users, a long tail. */
export function pickUser(rng: Rng, pool: readonly User[]): User {
  return pool[Math.floor(pool.length * rng.float() ** 1.4)] as User;
}

interface Built {
  readonly message: E.Message;
  readonly user: User;
  readonly effectiveMs: number;
  /** The line carries this user's real userId. */
  readonly hasUserId: boolean;
  /** Not switched off for Mixpanel by `integrations`. */
  readonly enabled: boolean;
}

/** The type-specific part of a message. */
export interface Body {
  readonly type: string;
  readonly context: RawJson;
  readonly event?: string | undefined;
  readonly name?: string | undefined;
  readonly category?: string | undefined;
  readonly properties?: Record<string, unknown> | undefined;
  readonly traits?: Record<string, unknown> | undefined;
  readonly groupId?: string | undefined;
  readonly previousId?: string | number | undefined;
}

function envelope(s: GenState, user: User, channel: Channel, receivedMs: number, withUserId: boolean, body: Body, eventMs?: number): Built {
  const { rng } = s;
  const times = E.timesFor(rng, user, channel, receivedMs, eventMs);
  const quirks = eventMs === undefined;
  const t = E.timeFields(rng, times, quirks);
  const integrations = quirks ? E.integrations(rng) : {};
  const ids = E.identity(rng, user, withUserId, channel);
  // One literal with every key, in archive order, so all messages share one shape.
  const message: E.Message = {
    anonymousId: ids.anonymousId,
    category: body.category,
    channel,
    context: body.context,
    event: body.event,
    groupId: body.groupId,
    integrations,
    messageId: E.messageId(rng, user, channel, receivedMs),
    name: body.name,
    originalTimestamp: t.originalTimestamp,
    previousId: body.previousId,
    properties: body.properties,
    receivedAt: t.receivedAt,
    sentAt: t.sentAt,
    timestamp: t.timestamp,
    traits: body.traits,
    type: body.type,
    userId: ids.userId,
    version: 2,
  };
  const enabled = integrations['Mixpanel'] !== false && integrations['All'] !== false;
  return { message, user, effectiveMs: t.effectiveMs, hasUserId: ids.userId === user.userId, enabled };
}

function loggedIn(rng: Rng, user: User): boolean {
  return rng.chance(user.platform === 'web' ? 0.62 : 0.75);
}

export function track(s: GenState, receivedMs: number): Built {
  const user = pickUser(s.rng, s.users);
  const body = trackBody(s.rng, user, receivedMs);
  const channel: Channel = body.server ? 'server' : E.channelOf(user);
  const context = buildContext(s.rng, user, channel);
  return envelope(s, user, channel, receivedMs, channel === 'server' || loggedIn(s.rng, user), { type: 'track', event: body.event, properties: body.properties, context });
}

const pagePropsCache = new WeakMap<object, Record<string, unknown>>();

export function page(s: GenState, receivedMs: number): Built {
  const { rng } = s;
  const user = pickUser(rng, s.web.length > 0 ? s.web : s.users);
  const def = rng.pick(C.PAGES);
  const info = pageInfo(rng, def);
  const context = buildContext(rng, user, E.channelOf(user), info);
  let properties = pagePropsCache.get(info);
  if (properties === undefined) {
    properties = { ...info };
    if (def.name) properties['name'] = def.name;
    if (def.category) properties['category'] = def.category;
    if (Object.isFrozen(info)) pagePropsCache.set(info, shared(properties));
  }
  if (rng.chance(0.1)) properties = { ...properties, ab_bucket: rng.pick(['a', 'b']) };
  return envelope(s, user, E.channelOf(user), receivedMs, loggedIn(rng, user), {
    type: 'page', name: def.name, category: def.category, properties, context,
  });
}

export function screen(s: GenState, receivedMs: number): Built {
  const { rng } = s;
  const user = pickUser(rng, s.mobile.length > 0 ? s.mobile : s.users);
  const def = rng.pick(C.SCREENS);
  const properties: Record<string, unknown> = {};
  if (def.name) properties['name'] = def.name;
  if (def.category) properties['category'] = def.category;
  if (def.name === 'Product Detail') properties['product_id'] = rng.pick(C.PRODUCTS).product_id;
  if (rng.chance(0.2)) properties['load_time_ms'] = rng.int(80, 2400);
  return envelope(s, user, E.channelOf(user), receivedMs, loggedIn(rng, user), {
    type: 'screen', name: def.name, category: def.category, properties, context: buildContext(rng, user, E.channelOf(user)),
  });
}

export function identify(s: GenState, receivedMs: number): Built {
  const { rng } = s;
  const user = pickUser(rng, s.users);
  const channel: Channel = rng.chance(0.1) ? 'server' : E.channelOf(user);
  let traits: Record<string, unknown> = user.traits;
  if (rng.chance(0.15)) traits = { email: user.traits['email'], plan: rng.pick(C.PLANS) };
  else if (rng.chance(0.1)) traits = { ...user.traits, last_order_at: new Date(receivedMs - rng.int(1, 90) * 86_400_000).toISOString(), nickname: null };
  const anonymousOnly = channel !== 'server' && rng.chance(0.05);
  return envelope(s, user, channel, receivedMs, !anonymousOnly, { type: 'identify', traits, context: buildContext(rng, user, channel) });
}

export function groupTraits(rng: Rng, company: Company): Record<string, unknown> {
  const traits: Record<string, unknown> = {};
  if (rng.chance(0.9)) traits['company_id'] = company.companyId;
  traits['name'] = company.name;
  traits['plan'] = company.plan;
  traits['employees'] = company.employees;
  traits['created_at'] = company.createdAt;
  traits['industry'] = company.industry;
  traits['website'] = rng.chance(0.1) ? null : company.website;
  return traits;
}

export function group(s: GenState, receivedMs: number): Built {
  const { rng } = s;
  const user = pickUser(rng, s.users);
  const channel: Channel = rng.chance(0.2) ? 'server' : E.channelOf(user);
  return envelope(s, user, channel, receivedMs, rng.chance(0.92), {
    type: 'group', groupId: user.company.groupId, traits: groupTraits(rng, user.company), context: buildContext(rng, user, channel),
  });
}

function previousIdFor(user: User): string {
  return user.aliasCount < user.anonIds.length ? (user.anonIds[user.aliasCount] as string) : user.legacyId;
}

/** Remove and return a random alias candidate, or a fresh user when none is ready yet. */
function aliasTarget(s: GenState): { user: User; late: boolean } {
  const { rng } = s;
  if (s.candidates.length > 0) {
    const i = Math.floor(rng.float() * s.candidates.length);
    const user = s.candidates[i] as User;
    s.candidates[i] = s.candidates[s.candidates.length - 1] as User;
    s.candidates.pop();
    user.inCandidates = false;
    return { user, late: true };
  }
  for (let tries = 0; tries < 20; tries++) {
    const user = rng.pick(s.users);
    if (user.aliasCount === 0 && user.uidEvents === 0) return { user, late: false };
  }
  const user = rng.pick(s.users);
  return { user, late: user.uidEvents > 0 };
}

/**
 * An alias. When the target already has userId-bearing lines earlier in the stream, the alias
 * is dated before all of them (a late-uploaded mobile batch or an out-of-order archive).
 */
export function alias(s: GenState, receivedMs: number): Built {
  const { rng } = s;
  const { user, late } = aliasTarget(s);
  const previousId = user.aliasCount >= MAX_ALIASES ? `legacy-${rng.hex(10)}` : previousIdFor(user);
  user.aliasCount += 1;
  const eventMs = late ? user.firstUidTime - rng.int(1000, 7_200_000) : undefined;
  const channel = E.channelOf(user);
  const built = envelope(s, user, channel, receivedMs, true, { type: 'alias', previousId, context: buildContext(rng, user, channel) }, eventMs);
  // The alias needs a valid, distinct pair: undo any placeholder swap done by identity().
  built.message['userId'] = user.userId;
  if (typeof built.message['anonymousId'] === 'string' && C.PLACEHOLDER_IDS.includes(built.message['anonymousId'] as never)) {
    built.message['anonymousId'] = user.anonIds[0];
  }
  return { ...built, hasUserId: false };
}

/**
 * After a line is emitted: remember the earliest time of any line with the user's userId, and
 * count the enabled track/identify lines with it (alias candidates need ALIAS_MIN_PRIOR of them).
 */
export function recordLine(s: GenState, type: string, built: Built): void {
  if (!built.hasUserId) return;
  const user = built.user;
  if (built.effectiveMs < user.firstUidTime) user.firstUidTime = built.effectiveMs;
  if (!built.enabled || (type !== 'track' && type !== 'identify')) return;
  user.uidEvents += 1;
  if (!user.inCandidates && user.uidEvents >= ALIAS_MIN_PRIOR && user.aliasCount < MAX_ALIASES) {
    user.inCandidates = true;
    s.candidates.push(user);
  }
}
