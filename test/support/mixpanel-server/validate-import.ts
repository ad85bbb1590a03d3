// Strict per-event validation for /import (reference §3.2, §3.3, §12 step 6).
import { MAX_RECORD_BYTES } from './defaults.js';
import { isDeniedId } from './deny-list.js';
import type { FailedRecord } from './replies.js';
import { isBadString, isPlainObject, MAX_ENTRIES, stringBound, valueProblem, type SizeBound } from './validate-values.js';

export interface ImportCheckContext {
  identity: 'original' | 'simplified';
  nowMs: number;
  /** The request body held invalid UTF-8 bytes. */
  bodyHadBadBytes: boolean;
  /** Measure each event's JSON size (only needed when the body is at least 1 MiB). */
  checkEventSize: boolean;
}

export const IDENTITY_EVENTS: ReadonlySet<string> = new Set(['$identify', '$create_alias', '$merge']);
export const SIMPLIFIED_IDENTITY_MESSAGE =
  'identity events are not allowed when project is using simplified identity management';

const MIN_TIME_MS = Date.UTC(1971, 0, 1);
const MAX_FUTURE_MS = 60 * 60 * 1000;
const INSERT_ID_PATTERN = /^[A-Za-z0-9-]+$/;

type Problem = [field: string, message: string];

export function hasIdentityEvent(items: unknown[]): boolean {
  for (const item of items) {
    if (isPlainObject(item) && typeof item.event === 'string' && IDENTITY_EVENTS.has(item.event)) return true;
  }
  return false;
}

/** Seconds when below 1e10, else milliseconds; ≥ 1971-01-01 and ≤ now + 1 h. */
function timeProblem(time: unknown, nowMs: number): string | undefined {
  if (typeof time !== 'number' || !Number.isFinite(time)) return 'must be specified as seconds since epoch';
  const ms = time < 1e10 ? time * 1000 : time;
  if (ms < MIN_TIME_MS) return 'must be after 1971-01-01';
  if (ms > nowMs + MAX_FUTURE_MS) return 'must not be more than 1 hour in the future';
  return undefined;
}

function distinctIdProblem(props: Record<string, unknown>, identity: ImportCheckContext['identity']): string | undefined {
  const id = props.distinct_id;
  if (id === undefined || id === null) {
    const hasIdentityProps = props.$device_id !== undefined || props.$user_id !== undefined;
    return identity === 'simplified' && hasIdentityProps ? undefined : 'must not be missing';
  }
  if (typeof id === 'number' && Number.isFinite(id)) return isDeniedId(String(id)) ? `value ${id} is not allowed` : undefined;
  if (typeof id !== 'string') return 'must be a string';
  return isDeniedId(id) ? `value ${JSON.stringify(id)} is not allowed` : undefined;
}

function insertIdProblem(insertId: unknown): string | undefined {
  if (insertId === undefined || insertId === null) return 'must not be missing';
  if (typeof insertId !== 'string') return 'must be a string';
  if (Buffer.byteLength(insertId) > 36) return 'must be at most 36 bytes';
  if (!INSERT_ID_PATTERN.test(insertId)) return "must only contain alphanumeric or hyphen '-' characters";
  if (isDeniedId(insertId)) return `value ${JSON.stringify(insertId)} is not allowed`;
  return undefined;
}

/** `properties.<key>` is invalid: Mixpanel's field and message for it. */
function propertyProblem(key: string, problem: string): Problem {
  const field = `properties.${key}`;
  return [field, `${field} is invalid: ${problem}`];
}

function propertiesProblem(props: Record<string, unknown>, ctx: ImportCheckContext, size: SizeBound): Problem | undefined {
  let count = 0;
  for (const key in props) {
    count++;
    size.bytes += stringBound(key) + 2;
    if (isBadString(key, ctx.bodyHadBadBytes)) return propertyProblem(key, 'string should be valid utf8');
    const problem = valueProblem(props[key], ctx.bodyHadBadBytes, 0, size);
    if (problem !== undefined) return propertyProblem(key, problem);
  }
  if (count >= MAX_ENTRIES) return ['properties', `'properties' is invalid: must have fewer than ${MAX_ENTRIES} properties`];
  return undefined;
}

function eventProblem(item: unknown, ctx: ImportCheckContext): Problem | undefined {
  if (!isPlainObject(item)) return ['event', "'event' is invalid: each record must be a JSON object"];
  for (const key in item) {
    if (key !== 'event' && key !== 'properties') {
      return [key, `'${key}' is not allowed: an event may only have 'event' and 'properties'`];
    }
  }
  if (typeof item.event !== 'string' || item.event.trim() === '') return ['event', "'event' must not be missing or blank"];
  if (isBadString(item.event, ctx.bodyHadBadBytes)) return ['event', 'event is invalid: string should be valid utf8'];
  const props = item.properties;
  if (!isPlainObject(props)) return ['properties', "'properties' is invalid: must be an object"];
  const time = timeProblem(props.time, ctx.nowMs);
  if (time !== undefined) return ['properties.time', `'properties.time' is invalid: ${time}`];
  const distinct = distinctIdProblem(props, ctx.identity);
  if (distinct !== undefined) return ['properties.distinct_id', `'properties.distinct_id' is invalid: ${distinct}`];
  const insert = insertIdProblem(props.$insert_id);
  if (insert !== undefined) return ['$insert_id', `'$insert_id' is invalid: ${insert}`];
  // {"event":…,"properties":{…}}: the event name and the frame, then the properties' bound.
  const size: SizeBound = { bytes: stringBound(item.event) + 32 };
  const nested = propertiesProblem(props, ctx, size);
  if (nested !== undefined) return nested;
  if (ctx.checkEventSize && size.bytes >= MAX_RECORD_BYTES && Buffer.byteLength(JSON.stringify(item)) >= MAX_RECORD_BYTES) {
    return ['event', `'event' is invalid: event must be smaller than ${MAX_RECORD_BYTES} bytes`];
  }
  return undefined;
}

/** Returns the first rule the event breaks as a failed_records entry, or undefined when valid. */
export function validateImportEvent(item: unknown, index: number, ctx: ImportCheckContext): FailedRecord | undefined {
  const problem = eventProblem(item, ctx);
  if (problem === undefined) return undefined;
  const insertId = isPlainObject(item) && isPlainObject(item.properties) ? item.properties.$insert_id : undefined;
  return { index, insert_id: typeof insertId === 'string' ? insertId : '', field: problem[0], message: problem[1] };
}
