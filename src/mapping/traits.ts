import { isObject, type Json, type JsonObject } from '../json.js';
import { normalizeKey } from '../segment/keys.js';
import { formatProfileDate, isIsoDateTime, parseTime } from '../segment/time.js';

/** Segment special traits → Mixpanel reserved profile properties (SPEC §4.3). */
const SPECIAL_TRAITS: ReadonlyMap<string, string> = new Map([
  ['created', '$created'],
  ['createdat', '$created'],
  ['email', '$email'],
  ['firstname', '$first_name'],
  ['lastname', '$last_name'],
  ['name', '$name'],
  ['username', '$username'],
  ['phone', '$phone'],
  ['avatar', '$avatar'],
]);

/** The renamed special traits, in the order they are written around `$created` and `$name`. */
const SPECIAL_BEFORE_NAME = [['email', '$email'], ['firstname', '$first_name'], ['lastname', '$last_name']] as const;
const SPECIAL_AFTER_NAME = [['username', '$username'], ['phone', '$phone'], ['avatar', '$avatar']] as const;

/** Keep the traits whose normalised key is in `allowed` (plus the special traits when asked). */
export function pickTraits(traits: JsonObject, allowed: ReadonlySet<string>, withSpecial: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(traits)) {
    const normalized = normalizeKey(key);
    if (allowed.has(normalized) || (withSpecial && SPECIAL_TRAITS.has(normalized))) out[key] = value;
  }
  return out;
}

/**
 * Rename special traits to Mixpanel's names; the Segment spellings are removed. The first
 * spelling of a trait wins, `createdAt` wins over `created`, and `$name` falls back to
 * "firstName lastName" when both exist. `$created` is formatted `YYYY-MM-DDTHH:MM:SS`.
 */
export function renameSpecialTraits(traits: JsonObject): JsonObject {
  const out: JsonObject = {};
  const special = new Map<string, Json>();
  for (const [key, value] of Object.entries(traits)) {
    const normalized = normalizeKey(key);
    if (!SPECIAL_TRAITS.has(normalized)) out[key] = value;
    else if (!special.has(normalized)) special.set(normalized, value);
  }
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
  if (typeof value === 'string') return isIsoDateTime(value) ? formatProfileDate(parseTime(value) as number) : value;
  if (Array.isArray(value)) return value.map(normalizeProfileDates);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) out[key] = normalizeProfileDates(inner);
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
