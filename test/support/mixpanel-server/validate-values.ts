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

/** Returns the reason a property value is invalid, or undefined. `level` = containers above it. */
export function valueProblem(value: unknown, bodyHadBadBytes: boolean, level = 0): string | undefined {
  if (typeof value === 'string') {
    return isBadString(value, bodyHadBadBytes) ? 'string should be valid utf8' : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const depth = level + 1;
  if (depth > MAX_NESTING_DEPTH) return `nesting depth must not exceed ${MAX_NESTING_DEPTH}`;
  if (Array.isArray(value)) {
    if (value.length >= MAX_ENTRIES) return `list must have fewer than ${MAX_ENTRIES} elements`;
    for (const item of value) {
      const problem = valueProblem(item, bodyHadBadBytes, depth);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  let keys = 0;
  for (const key in record) {
    keys++;
    if (isBadString(key, bodyHadBadBytes)) return 'string should be valid utf8';
    const problem = valueProblem(record[key], bodyHadBadBytes, depth);
    if (problem !== undefined) return problem;
  }
  if (keys >= MAX_ENTRIES) return `object must have fewer than ${MAX_ENTRIES} keys`;
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
