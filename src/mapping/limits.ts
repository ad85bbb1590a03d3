import { Buffer } from 'node:buffer';
import type { Json, JsonObject } from '../lib/json.js';
import { MAX_NESTING_DEPTH, MAX_PROPERTIES, MAX_RECORD_BYTES } from '../mixpanel/limits.js';

/** Why Mixpanel would refuse this event's properties, or null when they are within its limits. */
export function checkEventProperties(properties: JsonObject, json: string): string | null {
  // A property takes at least 5 characters of JSON (`"":0,`), so n properties at least 5n + 1:
  // a shorter record cannot reach the limit, and the (dictionary-mode) keys need not be listed.
  if (json.length >= 5 * MAX_PROPERTIES + 1) {
    const count = Object.keys(properties).length;
    if (count >= MAX_PROPERTIES) return `event has ${count} properties: Mixpanel accepts fewer than ${MAX_PROPERTIES}`;
  }
  return checkSize(json) ?? (isFlatEvent(json) ? null : checkShape(properties, 'properties', 0)) ?? checkUtf8(properties, json, 'properties');
}

/**
 * No `[` and no `{` past the event's own two: no property holds an object or a list, so there is
 * no depth or width to check. (A string holding a bracket only costs the full walk.)
 */
function isFlatEvent(json: string): boolean {
  return json.indexOf('[') === -1 && json.indexOf('{', json.indexOf('{', 1) + 1) === -1;
}

/** Why Mixpanel would refuse this profile or group update, or null. */
export function checkUpdate(update: JsonObject, json: string): string | null {
  const tooBig = checkSize(json);
  if (tooBig !== null) return tooBig;
  for (const operation in update) {
    const value = update[operation]!;
    const reason = value !== null && typeof value === 'object' ? checkShape(value, operation, 0) : null;
    if (reason !== null) return reason;
  }
  return checkUtf8(update, json, 'update');
}

// --- internal ---

/** A UTF-16 unit is at most 3 UTF-8 bytes: the exact count is only needed near the limit. */
function checkSize(json: string): string | null {
  if (json.length * 3 < MAX_RECORD_BYTES) return null;
  const bytes = Buffer.byteLength(json);
  return bytes >= MAX_RECORD_BYTES ? `record is ${bytes} bytes of JSON: Mixpanel accepts under ${MAX_RECORD_BYTES} (1 MB)` : null;
}

/** Nesting depth and width of objects and lists; `depth` is the nesting level of `value`. */
function checkShape(value: Json[] | JsonObject, path: string, depth: number): string | null {
  if (depth > MAX_NESTING_DEPTH) return `${path} is nested ${depth} levels deep: Mixpanel accepts at most ${MAX_NESTING_DEPTH}`;
  const isList = Array.isArray(value);
  const keys = isList ? null : Object.keys(value);
  const width = isList ? value.length : keys!.length;
  if (depth > 0 && width >= MAX_PROPERTIES) return `${path} has ${width} ${isList ? 'elements' : 'keys'}: Mixpanel accepts fewer than ${MAX_PROPERTIES}`;
  for (let i = 0; i < width; i += 1) {
    const key = isList ? i : keys![i]!;
    const inner = (value as Record<string | number, Json>)[key]!;
    if (inner === null || typeof inner !== 'object') continue;
    const reason = checkShape(inner, isList ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (reason !== null) return reason;
  }
  return null;
}

/**
 * Strings must be valid UTF-8. JSON.stringify writes a lone surrogate as a `\ud…` escape, so
 * the serialised record tells cheaply whether the full search is needed.
 */
function checkUtf8(value: Json, json: string, path: string): string | null {
  // One scan for the usual record, which holds no `\u` escape at all.
  if (!json.includes('\\u') || (!json.includes('\\ud') && !json.includes('\\uD'))) return null;
  return findLoneSurrogate(value, path);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function findLoneSurrogate(value: Json, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? `${path} is not valid UTF-8 (lone surrogate)` : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof key === 'string' && LONE_SURROGATE.test(key)) return `${path} has a key that is not valid UTF-8 (lone surrogate)`;
    const reason = findLoneSurrogate(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (reason !== null) return reason;
  }
  return null;
}
