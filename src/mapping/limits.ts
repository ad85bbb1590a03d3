import type { Json, JsonObject } from '../json.js';
import { MAX_NESTING_DEPTH, MAX_PROPERTIES, MAX_RECORD_BYTES } from '../mixpanel/limits.js';

/** Why Mixpanel would refuse this event's properties, or null when they are within its limits. */
export function checkEventProperties(properties: JsonObject, serializedBytes: number): string | null {
  const count = Object.keys(properties).length;
  if (count >= MAX_PROPERTIES) return `event has ${count} properties: Mixpanel accepts fewer than ${MAX_PROPERTIES}`;
  return checkSize(serializedBytes) ?? checkValues(properties, 'properties', 0);
}

/** Why Mixpanel would refuse this profile or group update, or null. */
export function checkUpdate(update: JsonObject, serializedBytes: number): string | null {
  const tooBig = checkSize(serializedBytes);
  if (tooBig !== null) return tooBig;
  for (const [operation, value] of Object.entries(update)) {
    const reason = checkValues(value, operation, 0);
    if (reason !== null) return reason;
  }
  return null;
}

// --- internal ---

function checkSize(bytes: number): string | null {
  return bytes >= MAX_RECORD_BYTES ? `record is ${bytes} bytes of JSON: Mixpanel accepts under ${MAX_RECORD_BYTES} (1 MB)` : null;
}

/** Depth, width and UTF-8 checks over nested values; `depth` is the nesting level of `value`. */
function checkValues(value: Json, path: string, depth: number): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : `${path} is not valid UTF-8 (lone surrogate)`;
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_NESTING_DEPTH) return `${path} is nested ${depth} levels deep: Mixpanel accepts at most ${MAX_NESTING_DEPTH}`;
  const entries: Array<[string, Json]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (depth > 0 && entries.length >= MAX_PROPERTIES) {
    return `${path} has ${entries.length} ${Array.isArray(value) ? 'elements' : 'keys'}: Mixpanel accepts fewer than ${MAX_PROPERTIES}`;
  }
  for (const [key, inner] of entries) {
    if (!isWellFormed(key)) return `${path} has a key that is not valid UTF-8 (lone surrogate)`;
    const reason = checkValues(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (reason !== null) return reason;
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
