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
  const zulu = parseZulu(text);
  if (zulu !== undefined) return zulu;
  const m = ISO_8601.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  // Date.UTC reads years 0–99 as 1900–1999.
  if (Number(y) < 100) time = new Date(time).setUTCFullYear(Number(y));
  const check = new Date(time);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    time -= sign * offsetMin * 60_000;
  }
  return time;
}

/**
 * The common case, `YYYY-MM-DDTHH:MM[:SS[.s…]]Z`, read digit by digit (several times faster than
 * the general pattern). Returns undefined when the text is not in this form (the pattern decides),
 * null when it is but names no real time (2026-02-30, hour 24).
 */
function parseZulu(text: string): number | null | undefined {
  const n = text.length;
  if (n < 17 || n > 30 || text.charCodeAt(n - 1) !== 0x5a /* Z */) return undefined;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  // Years 0–99 go the general way (Date.UTC reads them as 19xx).
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0) return undefined;
  let second = 0;
  let ms = 0;
  if (n > 17) {
    // `:SS` then optionally `.` and 1–9 fraction digits, then Z.
    if (n < 20 || text.charCodeAt(16) !== 0x3a) return undefined;
    second = digits(text, 17, 2);
    if (second < 0) return undefined;
    if (n > 20) {
      const fraction = n - 21;
      if (text.charCodeAt(19) !== 0x2e || fraction < 1 || fraction > 9 || digits(text, 20, fraction) < 0) return undefined;
      ms = digits(text, 20, Math.min(fraction, 3)) * (fraction === 1 ? 100 : fraction === 2 ? 10 : 1);
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number written by `count` ASCII digits at `from`, or -1 if any is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i += 1) {
    const code = text.charCodeAt(i) - 0x30;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The epoch ms of a string that is an ISO-8601 date-time (a date with a time part), else null. */
export function isoDateTimeMs(text: string): number | null {
  return text.length >= 16 && text.length <= 40 && /^\d{4}-\d{2}-\d{2}[T ]\d/.test(text) ? parseIso(text) : null;
}

export const DAY_MS = 86_400_000;

/** Mixpanel's profile date format: `YYYY-MM-DDTHH:MM:SS` in UTC. */
export function formatProfileDate(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const [year, month, day] = civilDate(days);
  // Outside years 0–9999 toISOString writes a signed 6-digit year: keep its form.
  if (year < 0 || year > 9999) return new Date(ms).toISOString().slice(0, 19);
  const time = Math.floor((ms - days * DAY_MS) / 1000);
  const hour = Math.floor(time / 3600);
  const minute = Math.floor((time % 3600) / 60);
  const second = Math.floor(time % 60);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
}


/** [year, month 1–12, day] of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
function civilDate(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function epochToMs(n: number): number {
  return Math.trunc(Math.abs(n) < SECONDS_LIMIT ? n * 1000 : n);
}
