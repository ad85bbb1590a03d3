import { isObject, newObject, type Json, type JsonObject } from '../../lib/json.js';
import { normalizeKey } from '../../segment/keys.js';
import { formatProfileDate, isoDateTimeMs } from '../../segment/time.js';
import { SPECIAL_TRAITS } from './special-traits.js';

/** Keep the traits whose normalised key is in `allowed` (plus the special traits when asked). */
export function pickTraits(traits: JsonObject, allowed: ReadonlySet<string>, withSpecial: boolean): JsonObject {
  const out = newObject();
  for (const key in traits) {
    const normalized = normalizeKey(key);
    if (allowed.has(normalized) || (withSpecial && SPECIAL_TRAITS.has(normalized))) out[key] = traits[key]!;
  }
  return out;
}

/** Every ISO-8601 date-time string (at any depth) as `YYYY-MM-DDTHH:MM:SS` UTC, for profile and group updates. */
export function normalizeProfileDates(value: Json): Json {
  if (typeof value === 'string') {
    const ms = isoDateTimeMs(value);
    return ms === null ? value : formatProfileDate(ms);
  }
  if (Array.isArray(value)) return value.map(normalizeProfileDates);
  if (isObject(value)) {
    const out = newObject();
    for (const key in value) out[key] = normalizeProfileDates(value[key]!);
    return out;
  }
  return value;
}
