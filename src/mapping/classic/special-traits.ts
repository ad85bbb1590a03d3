import { newObject, type Json, type JsonObject } from '../../lib/json.js';
import { normalizeKey } from '../../segment/keys.js';
import { formatProfileDate, parseTime } from '../../segment/time.js';

/** Segment's special traits (README "Mapping"), by normalised key. */
export const SPECIAL_TRAITS: ReadonlySet<string> = new Set(['created', 'createdat', 'email', 'firstname', 'lastname', 'name', 'username', 'phone', 'avatar']);

/** The warning of a `created`/`createdAt` that is not a date (counted in the report). */
export const CREATED_NOT_A_DATE = 'created trait is not a date: no $created';

const SPECIAL_AFTER_NAME = [['username', '$username'], ['phone', '$phone'], ['avatar', '$avatar']] as const;

/** Segment's `is-email` shape: something@something.something, no spaces. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The id when it looks like an e-mail address (it then stands in for a missing `email` trait), else null. */
export function emailShaped(id: string | null): string | null {
  return id !== null && id.includes('@') && EMAIL_SHAPE.test(id) ? id : null;
}

/**
 * Rename special traits to Mixpanel's names, as Segment's classic destination read them
 * (README "Mapping"); the Segment spellings are removed. The first spelling of a trait wins and
 * `createdAt` wins over `created`. String values are trimmed and an empty one counts as absent.
 * Fallbacks: `$first_name` / `$last_name` from the words of `name`, `$name` from
 * "firstName lastName", `$email` from `userEmail` (an e-mail-shaped userId), `$phone` from
 * `phones[0]`. A `created` that is not a date gives no `$created` and a warning in `warnings`.
 */
export function renameSpecialTraits(traits: JsonObject, userEmail: string | null, warnings: string[]): JsonObject {
  const out = newObject();
  // Each special trait's first value, by normalised key (`phones` too, for the $phone fallback).
  let special: Map<string, Json> | null = null;
  for (const key in traits) {
    const normalized = normalizeKey(key);
    const value = traits[key]!;
    if (!SPECIAL_TRAITS.has(normalized)) {
      out[key] = value;
      if (normalized !== 'phones') continue;
    }
    special ??= new Map();
    if (!special.has(normalized)) special.set(normalized, value);
  }
  if (special === null) {
    if (userEmail !== null) out.$email = userEmail;
    return out;
  }
  writeSpecial(out, special, userEmail, warnings);
  return out;
}

// --- internal ---

function writeSpecial(out: JsonObject, special: ReadonlyMap<string, Json>, userEmail: string | null, warnings: string[]): void {
  const created = present(special.get('createdat')) ?? present(special.get('created'));
  if (created !== undefined) {
    const formatted = formatCreated(created);
    if (formatted === null) warnings.push(CREATED_NOT_A_DATE);
    else out.$created = formatted;
  }
  const email = present(special.get('email')) ?? userEmail ?? undefined;
  if (email !== undefined) out.$email = email;
  const name = present(special.get('name'));
  const words = typeof name === 'string' ? splitName(name) : null;
  const first = present(special.get('firstname')) ?? words?.[0];
  const last = present(special.get('lastname')) ?? words?.[1];
  if (first !== undefined) out.$first_name = first;
  if (last !== undefined) out.$last_name = last;
  const fullName = name ?? (typeof first === 'string' && typeof last === 'string' ? `${first} ${last}` : undefined);
  if (fullName !== undefined) out.$name = fullName;
  for (const [segment, mixpanel] of SPECIAL_AFTER_NAME) {
    const value = present(special.get(segment)) ?? (segment === 'phone' ? firstPhone(special.get('phones')) : undefined);
    if (value !== undefined) out[mixpanel] = value;
  }
}

/** A special trait's value as sent: strings trimmed; null, undefined and "" (after trimming) are absent. */
function present(value: Json | undefined): Json | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return value === null ? undefined : value;
}

/** [first word, the rest or undefined] of a trimmed, non-empty name. */
function splitName(name: string): [string, string | undefined] {
  const space = name.search(/\s/);
  if (space === -1) return [name, undefined];
  return [name.slice(0, space), name.slice(space).trim()];
}

function firstPhone(phones: Json | undefined): Json | undefined {
  return Array.isArray(phones) && phones.length > 0 ? present(phones[0]) : undefined;
}

/** `$created` from an ISO string or epoch number (`YYYY-MM-DDTHH:MM:SS`), or null when it is not a date. */
function formatCreated(value: Json): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const ms = parseTime(value);
  return ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15 ? null : formatProfileDate(ms);
}
