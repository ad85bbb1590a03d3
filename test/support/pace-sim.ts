/**
 * A deterministic simulation of the run's shared pace against a rate-limited Mixpanel, on the
 * fake clock: batches go out as the sink sends them (a connection held only for the exchange,
 * reading ahead bounded as in src/delivery/sink.ts), the server is the test server's token
 * bucket, a 429 waits the retry backoff of src/delivery/retry-policy.ts and counts against the
 * pace again (docs/performance.md "Pacing").
 */
import { AdaptivePace } from '../../src/delivery/pacing.js';
import { DEFAULT_BACKOFF, retryDelay } from '../../src/delivery/retry-policy.js';
import { fakeClock } from './fake-clock.js';
import { RateLimiter } from './mixpanel-server/rate-limiter.js';

export interface PaceSimOptions {
  /** Records per second the server allows (burst: one second of it); null: no rate limit. */
  readonly rate: number | null;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly durationMs: number;
  readonly seed: number;
  /** Requests the server refuses with a 429 whatever the rate (a proxy's), by request number. */
  readonly refuse?: (request: number) => boolean;
}

export interface PaceSimResult {
  /** Records the server accepted, by the time it took them. */
  readonly accepted: ReadonlyArray<{ readonly at: number; readonly count: number }>;
  /** When each 429 reached the client. */
  readonly refusedAt: readonly number[];
  /** The pace (records/s, null: unlimited), every 100 ms. */
  readonly paces: ReadonlyArray<{ readonly at: number; readonly perSecond: number | null }>;
}

/** Two batches queued beyond the connections, plus one per batch waiting out a backoff (sink.ts). */
const QUEUED_BATCHES = 2;
const PROJECT = new Map([['sim', 0]]);

/** A seeded generator in [0, 1) (mulberry32), so a row replays the same jitter. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function simulatePace(options: PaceSimOptions): Promise<PaceSimResult> {
  const clock = fakeClock();
  const random = seededRandom(options.seed);
  const pace = new AdaptivePace(null, clock);
  const server = options.rate === null ? null : new RateLimiter(options.rate, 1, clock.now);
  const accepted: Array<{ at: number; count: number }> = [];
  const refusedAt: number[] = [];
  const paces: Array<{ at: number; perSecond: number | null }> = [];
  let requests = 0;
  let connectionsFree = options.concurrency;
  let waitingOut = 0;
  let running = 0;

  /** The server's answer, half the latency after the request left. */
  async function exchange(count: number): Promise<boolean> {
    const request = requests++;
    await clock.sleep(options.latencyMs / 2);
    PROJECT.set('sim', count);
    const ok = !(options.refuse?.(request) ?? false) && (server === null || server.tryTake(PROJECT));
    if (ok) accepted.push({ at: clock.now(), count });
    await clock.sleep(options.latencyMs / 2);
    return ok;
  }

  async function sendBatch(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await pace.take(options.batchSize);
      const paced = pace.slowdowns;
      while (connectionsFree === 0) await clock.sleep(1);
      connectionsFree -= 1;
      // Paced while unlimited, and the first 429 came while it waited for the connection: paced again (send-batch.ts).
      if (paced === 0 && pace.slowdowns > 0) await pace.take(options.batchSize);
      const ok = await exchange(options.batchSize);
      // A 429 lowers the pace before the connection is free again.
      if (!ok) pace.slowDown();
      connectionsFree += 1;
      if (ok) return pace.recordAccepted(options.batchSize);
      refusedAt.push(clock.now());
      waitingOut += 1;
      await clock.sleep(retryDelay(attempt, DEFAULT_BACKOFF, null, random()));
      waitingOut -= 1;
    }
  }

  while (clock.now() < options.durationMs) {
    while (running < options.concurrency + QUEUED_BATCHES + Math.min(waitingOut, options.concurrency)) {
      running += 1;
      void sendBatch().then(() => (running -= 1));
    }
    if (clock.now() % 100 === 0) paces.push({ at: clock.now(), perSecond: pace.perSecond });
    await clock.advance(1);
  }
  return { accepted, refusedAt, paces };
}

/** Records accepted in [from, to) ms. */
export function acceptedBetween(result: PaceSimResult, from: number, to: number): number {
  let total = 0;
  for (const entry of result.accepted) if (entry.at >= from && entry.at < to) total += entry.count;
  return total;
}
