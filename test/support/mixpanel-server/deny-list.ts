// Values Mixpanel refuses as distinct_id / $insert_id (compared trimmed, case-insensitively).

const DENIED = new Set([
  '00000000-0000-0000-0000-000000000000',
  'anon',
  'anonymous',
  'nil',
  'none',
  'null',
  'n/a',
  'na',
  'undefined',
  'unknown',
  '<nil>',
  '0',
  '-1',
  'true',
  'false',
  '[]',
  '{}',
]);

/** True when the id is on the deny-list. The empty string is not on it. */
export function isDeniedId(value: string): boolean {
  // Fast path: every denied value is at most 36 characters long.
  if (value.length > 40) return false;
  return DENIED.has(value.trim().toLowerCase());
}
