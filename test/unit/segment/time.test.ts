/**
 * SPEC §4.0 time rules at the string level: the digit-by-digit reading of the common
 * `…T…Z` form must agree with the general ISO-8601 rule on every edge.
 */
import { describe, expect, it } from 'vitest';
import { formatProfileDate, parseIso, parseTime } from '../../../src/segment/time.js';

describe('§4.0 parseIso: Zulu date-times read digit by digit', () => {
  it.each([
    { name: 'milliseconds', text: '2026-10-01T00:00:00.475Z', ms: Date.UTC(2026, 9, 1, 0, 0, 0, 475) },
    { name: 'one fraction digit is tenths', text: '2026-10-01T08:09:10.4Z', ms: Date.UTC(2026, 9, 1, 8, 9, 10, 400) },
    { name: 'two fraction digits are hundredths', text: '2026-10-01T08:09:10.47Z', ms: Date.UTC(2026, 9, 1, 8, 9, 10, 470) },
    { name: 'nine fraction digits are truncated to ms', text: '2024-02-29T23:59:59.999999999Z', ms: Date.UTC(2024, 1, 29, 23, 59, 59, 999) },
    { name: 'no seconds', text: '2026-03-04T05:06Z', ms: Date.UTC(2026, 2, 4, 5, 6) },
    { name: 'no fraction', text: '2026-03-04T05:06:07Z', ms: Date.UTC(2026, 2, 4, 5, 6, 7) },
    { name: 'years 0–99 are not 19xx', text: '0099-01-01T00:00:00Z', ms: new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(99) },
    { name: 'a zone offset takes the general rule', text: '2026-10-01T02:00:00+02:00', ms: Date.UTC(2026, 9, 1) },
  ])('$name: $text', ({ text, ms }) => {
    expect(parseIso(text)).toBe(ms);
    expect(parseTime(text)).toBe(ms);
  });

  it.each([
    { name: 'February 29 of a common year', text: '2026-02-29T00:00:00Z' },
    { name: 'April 31', text: '2026-04-31T00:00:00Z' },
    { name: 'month 13', text: '2026-13-01T00:00:00Z' },
    { name: 'hour 24', text: '2026-10-01T24:00:00Z' },
    { name: 'minute 60', text: '2026-10-01T00:60:00Z' },
    { name: 'second 60', text: '2026-10-01T00:00:60Z' },
    { name: 'a dot without digits', text: '2026-10-01T00:00:00.Z' },
    { name: 'ten fraction digits', text: '2026-10-01T00:00:00.1234567890Z' },
    { name: 'a letter among the digits', text: '2026-1O-01T00:00:00Z' },
  ])('$name is not a time: $text', ({ text }) => {
    expect(parseIso(text)).toBeNull();
    // The same text with a zone offset takes the general rule, which must agree.
    expect(parseIso(text.replace(/Z$/, '+00:00'))).toBeNull();
  });
});

describe('§4.3 formatProfileDate: YYYY-MM-DDTHH:MM:SS in UTC, computed without Date objects', () => {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

  it.each([
    { name: 'a leap day', ms: Date.UTC(2024, 1, 29, 23, 59, 59, 999), text: '2024-02-29T23:59:59' },
    { name: 'the day after a leap day', ms: Date.UTC(2024, 2, 1), text: '2024-03-01T00:00:00' },
    { name: '1900 is not a leap year', ms: Date.UTC(1900, 2, 1, 1, 2, 3), text: '1900-03-01T01:02:03' },
    { name: '2000 is a leap year', ms: Date.UTC(2000, 1, 29, 12), text: '2000-02-29T12:00:00' },
    { name: 'before 1970 (negative ms)', ms: Date.UTC(1969, 11, 31, 23, 59, 58, 500), text: '1969-12-31T23:59:58' },
    { name: 'the last second of year 9999', ms: Date.UTC(9999, 11, 31, 23, 59, 59), text: '9999-12-31T23:59:59' },
    { name: 'year 10000 keeps the signed form of toISOString', ms: Date.UTC(10000, 0, 1), text: '+010000-01-01T00:00' },
  ])('$name', ({ ms, text }) => {
    expect(formatProfileDate(ms)).toBe(text);
  });

  it('agrees with toISOString every 37 h 11 min 7.3 s from 1850 to 2150', () => {
    const step = ((37 * 60 + 11) * 60 + 7.3) * 1000;
    const differing: number[] = [];
    for (let ms = Date.UTC(1850, 0, 1); ms < Date.UTC(2150, 0, 1); ms += step) if (formatProfileDate(ms) !== iso(ms)) differing.push(ms);
    expect(differing).toEqual([]);
  });
});
