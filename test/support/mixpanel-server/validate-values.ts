// Checks on property values shared by the validators: UTF-8, nesting depth, collection sizes.

/** Deepest allowed object/array nesting below `properties` (a property holding an object is level 1). */
export const MAX_NESTING_DEPTH = 3;
/** Objects must have fewer keys, arrays fewer elements, events fewer properties than this. */
export const MAX_ENTRIES = 255;

type WellFormed = (this: string) => boolean;
const nativeWellFormed = (String.prototype as unknown as { isWellFormed?: WellFormed }).isWellFormed;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A JSON-decoded string is invalid UTF-8 when it holds a lone UTF-16 surrogate, or, when the
 * request body itself was not valid UTF-8 (`bodyHadBadBytes`), a U+FFFD replacement character.
 */
export function isBadString(value: string, bodyHadBadBytes: boolean): boolean {
  const wellFormed = nativeWellFormed ? nativeWellFormed.call(value) : !LONE_SURROGATE.test(value);
  return !wellFormed || (bodyHadBadBytes && value.includes('\uFFFD'));
}

/**
 * An upper bound of a value's JSON size in bytes, added up while the validators walk it: a string
 * is at most 6 bytes per UTF-16 unit (`\\uXXXX`) plus quotes, a number or literal at most 24 bytes,
 * a key or element adds its separators. Only a bound at the size limit calls for the exact measure.
 */
export interface SizeBound {
  bytes: number;
}

/** The bound of a string (a value or a key) in JSON. */
export function stringBound(value: string): number {
  return 6 * value.length + 2;
}

/**
 * Returns the reason a property value is invalid, or undefined. `level` = containers above it.
 * `size`, when given, grows by the value's size bound.
 */
export function valueProblem(value: unknown, bodyHadBadBytes: boolean, level = 0, size?: SizeBound): string | undefined {
  if (typeof value === 'string') {
    if (size !== undefined) size.bytes += stringBound(value);
    return isBadString(value, bodyHadBadBytes) ? 'string should be valid utf8' : undefined;
  }
  if (value === null || typeof value !== 'object') {
    if (size !== undefined) size.bytes += 24;
    return undefined;
  }
  const depth = level + 1;
  if (depth > MAX_NESTING_DEPTH) return `nesting depth must not exceed ${MAX_NESTING_DEPTH}`;
  if (Array.isArray(value)) {
    if (value.length >= MAX_ENTRIES) return `list must have fewer than ${MAX_ENTRIES} elements`;
    if (size !== undefined) size.bytes += 2 + value.length;
    for (const item of value) {
      const problem = valueProblem(item, bodyHadBadBytes, depth, size);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  let keys = 0;
  for (const key in record) {
    keys++;
    if (size !== undefined) size.bytes += stringBound(key) + 2;
    if (isBadString(key, bodyHadBadBytes)) return 'string should be valid utf8';
    const problem = valueProblem(record[key], bodyHadBadBytes, depth, size);
    if (problem !== undefined) return problem;
  }
  if (size !== undefined) size.bytes += 2;
  if (keys >= MAX_ENTRIES) return `object must have fewer than ${MAX_ENTRIES} keys`;
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
