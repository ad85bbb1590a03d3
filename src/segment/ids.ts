/** Ids Mixpanel treats as "no id" (README "Mapping"), compared trimmed and lower-cased. */
const PLACEHOLDER_IDS = new Set([
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
  '',
]);

export function isPlaceholderId(id: string): boolean {
  return PLACEHOLDER_IDS.has(id.trim().toLowerCase());
}

/** A Segment id field as a string, or null when absent, a placeholder, or not a string/number. */
export function readId(value: unknown): string | null {
  let id: string;
  if (typeof value === 'string') id = value;
  else if (typeof value === 'number' && Number.isFinite(value)) id = String(value);
  else return null;
  return isPlaceholderId(id) ? null : id;
}
