import { isObject, objectOrEmpty, type Json, type JsonObject } from '../lib/json.js';
import { readId } from './ids.js';
import { lookup } from './keys.js';
import { parseTime } from './time.js';
import { SEGMENT_TYPES, type SegmentMessage, type SegmentType } from './types.js';

export type ParseResult =
  | { readonly ok: true; readonly message: SegmentMessage }
  | { readonly ok: false; readonly outcome: 'skipped' | 'rejected'; readonly type: SegmentType | null; readonly reason: string };

const TIME_FIELDS = ['timestamp', 'originalTimestamp', 'receivedAt'] as const;

/** The message's Segment type (lower-cased), or null when it is not one of the six. */
export function readType(raw: JsonObject): SegmentType | null {
  const type = typeof raw.type === 'string' ? raw.type.toLowerCase() : '';
  return (SEGMENT_TYPES as readonly string[]).includes(type) ? (type as SegmentType) : null;
}

/** The messageId as a string (a number is kept as its text), or null. */
export function readMessageId(raw: JsonObject): string | null {
  return typeof raw.messageId === 'string' ? raw.messageId : typeof raw.messageId === 'number' ? String(raw.messageId) : null;
}

/** The message time in epoch ms from the first time field present; null when absent or unparseable. */
export function readTime(raw: JsonObject): { field: string; ms: number | null } | null {
  for (const field of TIME_FIELDS) {
    const value = raw[field];
    if (value !== undefined && value !== null) return { field, ms: parseTime(value) };
  }
  return null;
}

/**
 * Validate one decoded Segment message (README "Mapping", order: unsupported type → integrations →
 * required fields). Identity requirements that depend on the ID-merge mode live in mapping.
 */
export function parseMessage(raw: JsonObject): ParseResult {
  const type = readType(raw);
  if (type === null) return reject(null, `unsupported type ${JSON.stringify(raw.type ?? null)}: expected one of ${SEGMENT_TYPES.join(', ')}`);
  if (disabledForMixpanel(raw.integrations)) return { ok: false, outcome: 'skipped', type, reason: 'disabled for Mixpanel by integrations' };

  const time = readTime(raw);
  if (time === null) return reject(type, 'no timestamp: expected timestamp, originalTimestamp or receivedAt');
  if (time.ms === null) return reject(type, `${time.field} ${JSON.stringify(raw[time.field])} is not an ISO-8601 date or epoch number`);

  for (const field of ['properties', 'traits', 'context'] as const) {
    const value = raw[field];
    if (value !== undefined && value !== null && !isObject(value)) return reject(type, `${field} is ${kind(value)}: expected an object`);
  }

  const messageId = readMessageId(raw);
  const userId = readId(raw.userId);
  // Old Segment libraries wrote the anonymous id as `sessionId`.
  const anonymousId = readId(raw.anonymousId) ?? readId(raw.sessionId);
  const context = objectOrEmpty(raw.context);
  const timeMs = time.ms;
  const mixpanel = lookup(context, 'Mixpanel');
  const ignoreIp = isObject(mixpanel) && lookup(mixpanel, 'ignoreIp') === true;
  const ignoreTime = context.active === false || (isObject(mixpanel) && lookup(mixpanel, 'ignoreTime') === true);
  // Each variant is written out in full (no spreads): one stable object shape per type.
  switch (type) {
    case 'track': {
      if (typeof raw.event !== 'string' || raw.event.trim() === '') return reject(type, 'track without an event name: expected a non-empty string in "event"');
      return ok({ type, messageId, timeMs, userId, anonymousId, ignoreIp, ignoreTime, context, raw, event: raw.event, properties: objectOrEmpty(raw.properties) });
    }
    case 'page':
    case 'screen':
      return ok({ type, messageId, timeMs, userId, anonymousId, ignoreIp, ignoreTime, context, raw, name: nonEmpty(raw.name), category: nonEmpty(raw.category), properties: objectOrEmpty(raw.properties) });
    case 'identify':
      return ok({ type, messageId, timeMs, userId, anonymousId, ignoreIp, ignoreTime, context, raw, traits: objectOrEmpty(raw.traits) });
    case 'alias':
      // Old Segment libraries wrote an alias as `from` (previousId) and `to` (userId).
      return ok({ type, messageId, timeMs, userId: userId ?? readId(raw.to), anonymousId, ignoreIp, ignoreTime, context, raw, previousId: readId(raw.previousId) ?? readId(raw.from) });
    case 'group': {
      const groupId = typeof raw.groupId === 'string' && raw.groupId !== '' ? raw.groupId : typeof raw.groupId === 'number' ? raw.groupId : null;
      return ok({ type, messageId, timeMs, userId, anonymousId, ignoreIp, ignoreTime, context, raw, groupId, traits: objectOrEmpty(raw.traits) });
    }
  }
}

/**
 * `integrations.Mixpanel === false`, or `integrations.All === false` without Mixpanel truthy.
 * The two keys match case-insensitively (`all`, `mixpanel`); the first spelling in the object wins.
 */
function disabledForMixpanel(integrations: Json | undefined): boolean {
  if (!isObject(integrations)) return false;
  let mixpanel: Json | undefined;
  let all: Json | undefined;
  for (const key in integrations) {
    if (key.length === 8 && mixpanel === undefined && key.toLowerCase() === 'mixpanel') mixpanel = integrations[key];
    else if (key.length === 3 && all === undefined && key.toLowerCase() === 'all') all = integrations[key];
  }
  if (mixpanel === false) return true;
  return all === false && !mixpanel;
}

function ok(message: SegmentMessage): ParseResult {
  return { ok: true, message };
}

function reject(type: SegmentType | null, reason: string): ParseResult {
  return { ok: false, outcome: 'rejected', type, reason };
}

function nonEmpty(value: Json | undefined): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function kind(value: Json): string {
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
