import type { Json, JsonObject } from '../lib/json.js';
import { boundedMemo } from '../lib/memo.js';

/**
 * Segment's key matching (obj-case): case- and punctuation-insensitive, so `firstName`,
 * `first_name` and `First Name` are one key. `$` is kept, so `$email` never matches `email`.
 * Archives repeat the same few hundred keys: the folding is memoised (a pure speed-up).
 */
export const normalizeKey = boundedMemo((key) => key.replace(/[^A-Za-z0-9$]/g, '').toLowerCase(), 10_000);

/** The first key of `object` (in object order) that matches `name`, or undefined. */
export function findKey(object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const wanted = normalizeKey(name);
  for (const key in object) if (normalizeKey(key) === wanted) return key;
  return undefined;
}

/** The value under the first key matching `name`, or undefined. */
export function lookup(object: JsonObject, name: string): Json | undefined {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

const keySets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** A set of normalised names, for settings lists matched against message keys (memoised per list). */
export function keySet(names: readonly string[]): ReadonlySet<string> {
  let set = keySets.get(names);
  if (set === undefined) {
    set = new Set(names.map(normalizeKey));
    keySets.set(names, set);
  }
  return set;
}
