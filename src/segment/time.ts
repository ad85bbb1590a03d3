/** Numbers below this are epoch seconds, above it milliseconds (Segment's new-date rule). */
const SECONDS_LIMIT = 31_557_600_000;

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parse a Segment time value (ISO-8601 string, epoch number or numeric string) to epoch ms.
 * ISO strings without a zone are UTC. Returns null when the value does not parse.
 */
export function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return epochToMs(Number(text));
  return parseIso(text);
}

/** Parse an ISO-8601 date or date-time string to epoch ms (UTC when no zone), or null. */
export function parseIso(text: string): number | null {
  if (isZuluDateTime(text)) {
    const ms = Date.parse(text);
    // Date.parse rolls 2026-02-30 over to March and accepts hour 24: refuse both, as the pattern does.
    if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(text.slice(8, 10)) || text.slice(11, 13) > '23') return null;
    return ms;
  }
  const m = ISO_8601.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(time);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    time -= sign * offsetMin * 60_000;
  }
  return time;
}

/**
 * The common case, `YYYY-MM-DDTHH:MM[:SS[.sss]]Z`: Date.parse reads it exactly (UTC is explicit),
 * several times faster than the general pattern. The character test keeps the pattern off most other strings.
 */
function isZuluDateTime(text: string): boolean {
  const n = text.length;
  return n >= 17 && n <= 30 && text[4] === '-' && text[7] === '-' && text[10] === 'T' && text[13] === ':' && text[n - 1] === 'Z' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?Z$/.test(text);
}

/** True for strings that are an ISO-8601 date-time (a date with a time part). */
export function isIsoDateTime(text: string): boolean {
  return text.length >= 16 && text.length <= 40 && /^\d{4}-\d{2}-\d{2}[T ]\d/.test(text) && parseIso(text) !== null;
}

/** Mixpanel's profile date format: `YYYY-MM-DDTHH:MM:SS` in UTC. */
export function formatProfileDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function epochToMs(n: number): number {
  return Math.trunc(Math.abs(n) < SECONDS_LIMIT ? n * 1000 : n);
}
