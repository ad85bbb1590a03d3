import { newObject, type Json, type JsonObject } from '../../lib/json.js';
import type { EngageUpdate } from '../../mixpanel/types.js';
import { keySet, normalizeKey } from '../../segment/keys.js';
import { formatProfileDate } from '../../segment/time.js';
import type { PageMessage, TrackMessage } from '../../segment/types.js';
import { profileDistinctId } from '../identity.js';
import { profileUpdate } from './profile.js';
import { NUMERIC_TEXT, REVENUE_NOT_A_NUMBER, revenueAmount } from './revenue.js';
import type { MappingOptions } from '../types.js';

/**
 * Profile updates that follow an event when "Use Mixpanel People" is on (README "Mapping"), in this
 * order: event increment `$add`, `"Last <event>"` `$set`, property increments `$add`, revenue
 * `$append`. None of them is idempotent except the `$set`. A revenue that is not a number is a
 * warning pushed to `warnings`.
 */
export function peopleUpdates(message: TrackMessage | PageMessage, event: string, options: MappingOptions, warnings: string[]): EngageUpdate[] {
  const { settings, identity } = options;
  if (!settings.people) return [];
  const updates: EngageUpdate[] = [];
  const userId = profileDistinctId(message, identity, true);
  if (userId !== null) {
    if (matchesEventName(settings.eventIncrements, event)) {
      updates.push(profileUpdate(message, userId, options, { $add: { [event]: 1 } }));
      updates.push(profileUpdate(message, userId, options, { $set: { [`Last ${event}`]: formatProfileDate(message.timeMs) } }));
    }
    const increments = propertyIncrements(message.properties, keySet(settings.propIncrements));
    if (increments !== null) updates.push(profileUpdate(message, userId, options, { $add: increments }));
  }
  const revenue = revenueAmount(message.properties, event);
  if (revenue === REVENUE_NOT_A_NUMBER) warnings.push(revenue);
  const buyer = profileDistinctId(message, identity);
  if (typeof revenue === 'number' && revenue !== 0 && buyer !== null) {
    updates.push(profileUpdate(message, buyer, options, { $append: { $transactions: { $time: formatProfileDate(message.timeMs), $amount: revenue } } }));
  }
  return updates;
}

// --- internal ---

/** A finite number, or a numeric string (a leading "$" allowed), as a number; anything else null. */
function toNumber(value: Json | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^\$/, '');
  if (!NUMERIC_TEXT.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** Event names match `eventIncrements` case-insensitively (whole name; no punctuation folding). */
function matchesEventName(names: readonly string[], event: string): boolean {
  if (names.length === 0) return false;
  let lowered = loweredNames.get(names);
  if (lowered === undefined) {
    lowered = new Set(names.map((name) => name.toLowerCase()));
    loweredNames.set(names, lowered);
  }
  return lowered.has(event.toLowerCase());
}

/** The lower-cased names of each settings list, computed once per list. */
const loweredNames = new WeakMap<readonly string[], ReadonlySet<string>>();

function propertyIncrements(properties: JsonObject, wanted: ReadonlySet<string>): JsonObject | null {
  if (wanted.size === 0) return null;
  const out = newObject();
  let found = false;
  for (const key in properties) {
    const amount = wanted.has(normalizeKey(key)) ? toNumber(properties[key]) : null;
    if (amount !== null) {
      out[key] = amount;
      found = true;
    }
  }
  return found ? out : null;
}
