/** What the progress display says (README "Usage"): pure formatting on an injected time. */
import { describe, expect, it } from 'vitest';
import { formatDuration, formatPlainLine, formatStatus, RateWindow, thousands, type ProgressSnapshot } from '../../../src/cli/progress-format.js';

const NOW = Date.UTC(2026, 11, 7, 16, 50, 0);
const MB = 1_000_000;

const BASE: ProgressSnapshot = {
  label: 'import',
  phase: 'main',
  lines: 120_431,
  records: 118_002,
  bytesRead: 12.3 * MB,
  bytesTotal: 29.1 * MB,
  file: 'segment-logs/src_1/1795737600000/part-0003.gz',
  retries: 0,
  status429: 0,
  rateLimitedUntil: 0,
};

/** A window whose samples say: `records` and `bytes` more over the last `seconds`. */
function windowOf(seconds: number, records: number, bytes: number): RateWindow {
  const rates = new RateWindow(10_000);
  rates.add(NOW - seconds * 1000, BASE.records - records, BASE.bytesRead - bytes);
  rates.add(NOW, BASE.records, BASE.bytesRead);
  return rates;
}

describe('formatStatus', () => {
  it.each<[string, Partial<ProgressSnapshot>, RateWindow, string]>([
    [
      'share of the bytes read with an ETA, lines, records, records/s, the current file',
      {},
      windowOf(10, 84_500, 1.68 * MB),
      'import 42% of 29.1 MB, ETA 1 min 40 s · 120,431 lines · 118,002 records delivered · 8,450 records/s · part-0003.gz',
    ],
    ['no rate yet (one sample): no records/s, no ETA', {}, new RateWindow(), 'import 42% of 29.1 MB · 120,431 lines · 118,002 records delivered · part-0003.gz'],
    ['stdin (size unknown): the bytes read instead of a share', { bytesTotal: null, file: '-' }, windowOf(5, 5_000, 0), 'import 12.3 MB read · 120,431 lines · 118,002 records delivered · 1,000 records/s · stdin'],
    [
      'retries and 429s once there are some',
      { retries: 7, status429: 3 },
      windowOf(10, 0, 0),
      'import 42% of 29.1 MB · 120,431 lines · 118,002 records delivered · 0 records/s · 7 retries, 3 × 429 · part-0003.gz',
    ],
    [
      'a wait after a 429: "waiting: Mixpanel is rate-limiting" with the seconds left, rounded up',
      { retries: 1, status429: 1, rateLimitedUntil: NOW + 11_200 },
      windowOf(10, 0, 0),
      'import 42% of 29.1 MB · 120,431 lines · 118,002 records delivered · 0 records/s · waiting: Mixpanel is rate-limiting (retry in 12 s) · 1 retries, 1 × 429 · part-0003.gz',
    ],
    ['a wait that has ended is not shown', { retries: 1, status429: 1, rateLimitedUntil: NOW - 1 }, windowOf(10, 0, 0), 'import 42% of 29.1 MB · 120,431 lines · 118,002 records delivered · 0 records/s · 1 retries, 1 × 429 · part-0003.gz'],
    ['the alias pass: only the share read and the file', { phase: 'aliases', bytesRead: 29.1 * MB }, windowOf(10, 0, 0), 'import (alias pass) 100% of 29.1 MB · part-0003.gz'],
    ['a dry run writes records', { label: 'dry run', bytesRead: 0, file: null }, new RateWindow(), 'dry run 0% of 29.1 MB · 120,431 lines · 118,002 records written'],
  ])('%s', (_name, change, rates, expected) => {
    expect(formatStatus({ ...BASE, ...change }, NOW, rates)).toBe(expected);
  });

  it('a plain line (not a terminal) starts with the UTC time', () => {
    expect(formatPlainLine({ ...BASE, file: null }, NOW, new RateWindow())).toBe('2026-12-07T16:50:00Z import 42% of 29.1 MB · 120,431 lines · 118,002 records delivered');
  });
});

describe('RateWindow', () => {
  it('records/s over the last seconds, not since the start: a fast start does not lift a slow present', () => {
    const rates = new RateWindow(10_000);
    // 100,000 records in the first second, then 100 records/s for 20 s.
    rates.add(NOW, 0, 0);
    rates.add(NOW + 1_000, 100_000, 0);
    for (let s = 2; s <= 21; s += 1) rates.add(NOW + s * 1_000, 100_000 + (s - 1) * 100, 0);
    expect(rates.recordsPerSecond()).toBe(100);
  });

  it('no rate from fewer than two samples', () => {
    const rates = new RateWindow();
    expect({ records: rates.recordsPerSecond(), bytes: rates.bytesPerSecond() }).toEqual({ records: null, bytes: null });
    rates.add(NOW, 5, 5);
    expect({ records: rates.recordsPerSecond(), bytes: rates.bytesPerSecond() }).toEqual({ records: null, bytes: null });
  });
});

describe('formatDuration and thousands', () => {
  it.each([
    [0, '0 s'],
    [44_400, '44 s'],
    [65_000, '1 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [7_500_000, '2 h 05 min'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
  ])('%d → %s', (n, text) => {
    expect(thousands(n)).toBe(text);
  });
});
