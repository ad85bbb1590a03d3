/** SPEC §6: backoff starts at ~2 s, doubles to 60 s, plus 1–5 s of jitter, honours Retry-After. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, mayRetry, retryDelay } from '../../../src/delivery/retry-policy.js';

describe('retryDelay', () => {
  it.each([
    ['§6 first retry waits 2 s + 1 s jitter at random 0', 1, null, 0, 3_000],
    ['§6 first retry waits 2 s + 5 s jitter at random → 1', 1, null, 0.999999, 7_000],
    ['§6 the wait doubles per retry (3rd: 8 s + 3 s)', 3, null, 0.5, 11_000],
    ['§6 the wait is capped at 60 s (+ jitter)', 10, null, 0, 61_000],
    ['§6 a longer Retry-After wins over the backoff', 1, 30_000, 0, 31_000],
    ['§6 a shorter Retry-After does not shorten the backoff', 2, 500, 0, 5_000],
  ] as const)('%s', (_name, attempt, retryAfter, random, expected) => {
    expect(retryDelay(attempt, DEFAULT_BACKOFF, retryAfter, random)).toBe(expected);
  });

  it('jitter scales with --backoff (20 ms base: 10–50 ms jitter)', () => {
    expect(retryDelay(1, { baseMs: 20, maxMs: 60_000 }, null, 0)).toBe(30);
    expect(retryDelay(2, { baseMs: 20, maxMs: 60_000 }, null, 0.5)).toBe(70);
  });
});

describe('mayRetry', () => {
  it.each([
    [1, 3, true],
    [3, 3, true],
    [4, 3, false],
    [1, 0, false],
  ] as const)('after %i failed attempts with --max-retries %i → %s', (attempt, max, expected) => {
    expect(mayRetry(attempt, max)).toBe(expected);
  });
});
