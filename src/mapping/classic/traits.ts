import { isObject, newObject, type Json, type JsonObject } from '../../lib/json.js';
import { normalizeKey } from '../../segment/keys.js';
import { formatProfileDate, isoDateTimeMs, parseTime } from '../../segment/time.js';

/** Segment's special traits (SPEC §4.3), by normalised key. */
const SPECIAL_TRAITS: ReadonlySet<string> = new Set(['created', 'createdat', 'email', 'firstname', 'lastname', 'name', 'username', 'phone', 'avatar']);

/** The special traits renamed to Mixpanel's reserved properties, in the order they are written around `$created` and `$name`. */
const SPECIAL_BEFORE_NAME = [['email', '$email'], ['firstname', '$first_name'], ['lastname', '$last_name']] as const;
const SPECIAL_AFTER_NAME = [['username', '$username'], ['phone', '$phone'], ['avatar', '$avatar']] as const;

/** Keep the traits whose normalised key is in `allowed` (plus the special traits when asked). */
export function pickTraits(traits: JsonObject, allowed: ReadonlySet<string>, withSpecial: boolean): JsonObject {
  const out = newObject();
  for (const key in traits) {
    const normalized = normalizeKey(key);
    if (allowed.has(normalized) || (withSpecial && SPECIAL_TRAITS.has(normalized))) out[key] = traits[key]!;
  }
  return out;
}

/**
 * Rename special traits to Mixpanel's names; the Segment spellings are removed. The first
 * spelling of a trait wins, `createdAt` wins over `created`, and `$name` falls back to
 * "firstName lastName" when both exist. `$created` is formatted `YYYY-MM-DDTHH:MM:SS`.
 */
export function renameSpecialTraits(traits: JsonObject): JsonObject {
  const out = newObject();
  // Each special trait's first value, by normalised key.
  const special = new Map<string, Json>();
  for (const key in traits) {
    const normalized = normalizeKey(key);
    if (!SPECIAL_TRAITS.has(normalized)) out[key] = traits[key]!;
    else if (!special.has(normalized)) special.set(normalized, traits[key]!);
  }
  if (special.size === 0) return out;
  const created = presentOr(special.get('createdat'), special.get('created'));
  if (created !== undefined) out.$created = formatCreated(created);
  for (const [segment, mixpanel] of SPECIAL_BEFORE_NAME) {
    const value = special.get(segment);
    if (value !== undefined && value !== null) out[mixpanel] = value;
  }
  const first = special.get('firstname');
  const last = special.get('lastname');
  const name = presentOr(special.get('name'), typeof first === 'string' && typeof last === 'string' ? `${first} ${last}` : undefined);
  if (name !== undefined) out.$name = name;
  for (const [segment, mixpanel] of SPECIAL_AFTER_NAME) {
    const value = special.get(segment);
    if (value !== undefined && value !== null) out[mixpanel] = value;
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

// --- internal ---

function presentOr(value: Json | undefined, fallback: Json | undefined): Json | undefined {
  return value !== undefined && value !== null ? value : fallback;
}

/** `$created` from an ISO string or epoch number; a value that does not parse is kept as sent. */
function formatCreated(value: Json): Json {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const ms = parseTime(value);
  return ms === null ? value : formatProfileDate(ms);
}
