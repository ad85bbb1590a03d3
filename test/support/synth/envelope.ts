/** Top-level message fields shared by every type: ids, timestamps, integrations, key order. */
import type { Rng } from './random.js';
import type { User } from './users.js';
import type { Channel } from './context.js';
import * as C from './catalog.js';
import { iso, shared, stringifyShallow } from './json.js';

/** Segment archives list message keys alphabetically; we do the same. */
const KEY_ORDER = [
  'anonymousId', 'category', 'channel', 'context', 'event', 'groupId', 'integrations', 'messageId', 'name',
  'originalTimestamp', 'previousId', 'properties', 'receivedAt', 'sentAt', 'timestamp', 'traits',
  'type', 'userId', 'version',
] as const;

export type Message = Record<string, unknown>;

/** The NDJSON line for a message: keys in archive order, `undefined` fields left out. */
export function serializeMessage(message: Message): string {
  return stringifyShallow(message, KEY_ORDER);
}


export function messageId(rng: Rng, user: User, channel: Channel, receivedMs: number): string | undefined {
  const r = rng.float();
  if (r < 0.003) return undefined;
  if (r < 0.018) return `api-${rng.hex(20)}:${String(user.userId)}:${receivedMs}:${rng.hex(8)}`;
  if (channel === 'server') return `node-next-${receivedMs}-${rng.uuid()}`;
  if (user.platform === 'ios') return rng.uuid().toUpperCase();
  if (user.platform === 'android') return rng.uuid();
  return r < 0.85 ? `ajs-next-${rng.hex(32)}` : `ajs-${rng.hex(32)}`;
}

export interface Times {
  /** The real event time (what `timestamp` says). */
  readonly eventMs: number;
  readonly receivedMs: number;
  /** Client clock: originalTimestamp and sentAt. */
  readonly originalMs: number;
  readonly sentMs: number;
}

/** Times for a message that reached Segment at `receivedMs` after a platform-typical delay. */
export function timesFor(rng: Rng, user: User, channel: Channel, receivedMs: number, eventMs?: number): Times {
  let latency: number;
  if (channel === 'server') latency = rng.int(10, 500);
  else if (user.platform === 'web') latency = rng.int(40, 2500);
  else {
    const r = rng.float();
    latency = r < 0.85 ? rng.int(1000, 60_000) : r < 0.97 ? rng.int(60_000, 1_800_000) : rng.int(1_800_000, 43_200_000);
  }
  const event = eventMs ?? receivedMs - latency;
  const skew = channel === 'server' ? 0 : user.skewMs;
  const sent = Math.max(event + 5, receivedMs - rng.int(20, 400));
  return { eventMs: event, receivedMs, originalMs: event + skew, sentMs: sent + skew };
}

export interface TimeFields {
  readonly originalTimestamp: string;
  readonly receivedAt: string | undefined;
  readonly sentAt: string | undefined;
  readonly timestamp: string | number | undefined;
  /** The time the mapper will use (timestamp, else originalTimestamp). */
  readonly effectiveMs: number;
}

/** `quirks`: allow the rare "only originalTimestamp" and "epoch-ms timestamp" variants. */
export function timeFields(rng: Rng, t: Times, quirks: boolean): TimeFields {
  const r = quirks ? rng.float() : 1;
  if (r < 0.01) {
    return { originalTimestamp: iso(t.originalMs), receivedAt: undefined, sentAt: undefined, timestamp: undefined, effectiveMs: t.originalMs };
  }
  return {
    originalTimestamp: iso(t.originalMs),
    receivedAt: iso(t.receivedMs),
    sentAt: iso(t.sentMs),
    timestamp: r < 0.017 ? t.eventMs : iso(t.eventMs),
    effectiveMs: t.eventMs,
  };
}

const NO_INTEGRATIONS = shared({});
const INTEGRATION_VARIANTS = [shared({ Mixpanel: false }), shared({ All: false, Mixpanel: true }), shared({ 'Google Analytics': false })] as const;

export function integrations(rng: Rng): Readonly<Record<string, boolean>> {
  const r = rng.float();
  if (r < 0.01) return INTEGRATION_VARIANTS[0];
  if (r < 0.02) return INTEGRATION_VARIANTS[1];
  if (r < 0.03) return INTEGRATION_VARIANTS[2];
  return NO_INTEGRATIONS;
}

export function anonymousIdOf(rng: Rng, user: User): string {
  const r = rng.float();
  return r < 0.8 ? (user.anonIds[0] as string) : r < 0.95 ? (user.anonIds[1] as string) : (user.anonIds[2] as string);
}

/** Identity fields; a few messages carry a placeholder in one id and a valid value in the other. */
export interface Ids {
  readonly anonymousId: string | undefined;
  readonly userId: string | number | undefined;
}

export function identity(rng: Rng, user: User, withUserId: boolean, channel: Channel): Ids {
  if (channel === 'server') return { anonymousId: undefined, userId: user.userId };
  const anonymousId = anonymousIdOf(rng, user);
  if (withUserId) {
    return rng.chance(0.006) ? { anonymousId: rng.pick(C.PLACEHOLDER_IDS), userId: user.userId } : { anonymousId, userId: user.userId };
  }
  return { anonymousId, userId: rng.chance(0.006) ? rng.pick(C.PLACEHOLDER_IDS) : undefined };
}

export function channelOf(user: User): Channel {
  return user.platform === 'web' ? 'client' : 'mobile';
}

