/**
 * The shared pace against a simulated rate-limited Mixpanel (test/support/pace-sim.ts): a token
 * bucket of rate R holding one second, 50 ms latency, 10 connections, batches of 2,000, the retry
 * backoff of retry-policy.ts, all on the fake clock (docs/performance.md "Pacing").
 */
import { describe, expect, it } from 'vitest';
import { acceptedBetween, simulatePace, type PaceSimResult } from '../../support/pace-sim.js';

const SETUP = { latencyMs: 50, concurrency: 10, batchSize: 2_000 } as const;

/** Records accepted per second over [from, to) ms. */
const ratePerSecond = (result: PaceSimResult, from: number, to: number) => (acceptedBetween(result, from, to) * 1000) / (to - from);

describe('AdaptivePace against a rate-limited server', () => {
  // maxRefusals: the 429s of the pace before this design in the same 60 s (14, 9, 12).
  it.each([
    { rate: 5_000, seed: 5, maxRefusals: 14 },
    { rate: 15_000, seed: 15, maxRefusals: 9 },
    { rate: 30_000, seed: 30, maxRefusals: 12 },
  ])('§6 at $rate/s the run uses ≥ 90 % of the allowance 3–10 s after the first 429, ≥ 95 % after, with at most $maxRefusals 429s in 60 s', async ({ rate, seed, maxRefusals }) => {
    const result = await simulatePace({ ...SETUP, rate, seed, durationMs: 60_000 });
    const first = result.refusedAt[0]!;
    expect(first).toBeLessThan(1_000);
    expect(ratePerSecond(result, first + 3_000, first + 10_000) / rate).toBeGreaterThanOrEqual(0.9);
    expect(ratePerSecond(result, first + 10_000, 60_000) / rate).toBeGreaterThanOrEqual(0.95);
    expect(result.refusedAt.length).toBeLessThanOrEqual(maxRefusals);
  });

  it('§6 429s that are not about the rate (one request in 50, no limit) keep the run above half of its best 2-s window', async () => {
    const result = await simulatePace({ ...SETUP, rate: null, seed: 50, durationMs: 20_000, refuse: (request) => request % 50 === 49 });
    let best = 0;
    for (let from = 0; from + 2_000 <= 20_000; from += 100) best = Math.max(best, ratePerSecond(result, from, from + 2_000));
    const first = result.refusedAt[0]!;
    expect(result.refusedAt.length).toBeGreaterThan(5);
    expect(ratePerSecond(result, first + 3_000, first + 10_000)).toBeGreaterThanOrEqual(0.5 * best);
    expect(ratePerSecond(result, 10_000, 20_000)).toBeGreaterThanOrEqual(0.5 * best);
  });
});
