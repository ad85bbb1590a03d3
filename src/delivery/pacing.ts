import type { Clock } from '../lib/clock.js';
/**
 * A pause shared by every request of a run: a 429 or 5xx pushes it forward, and every request
 * waits for it before going out, so one rate-limit reply slows the whole run (README "Delivery").
 */
export class SharedBackoff {
  private until = 0;

  constructor(private readonly clock: Clock) {}

  pause(ms: number): void {
    this.until = Math.max(this.until, this.clock.now() + ms);
  }

  async wait(): Promise<void> {
    for (let left = this.until - this.clock.now(); left > 0; left = this.until - this.clock.now()) await this.clock.sleep(left);
  }
}

/**
 * A token bucket of records per second holding one second of allowance. A request larger than
 * the bucket may take it below zero, so it cannot starve. The rate may change while it runs.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    public perSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perSecond;
    this.last = clock.now();
  }

  async take(count: number): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      const needed = Math.min(count, this.perSecond);
      if (this.tokens >= needed) {
        this.tokens -= count;
        return;
      }
      await this.clock.sleep(Math.max(1, Math.ceil(((needed - this.tokens) / this.perSecond) * 1000)));
    }
  }

  /** Give up the allowance held, so what follows goes out at the pace from now on. */
  empty(): void {
    this.tokens = Math.min(this.tokens, 0);
    this.last = this.clock.now();
  }
}

/** How the run adapts its pace to Mixpanel's rate limit (docs/performance.md "Pacing"). */
export const ADAPTIVE = {
  /** At the first 429 Mixpanel's bucket is taken to have started the run with this much allowance
   *  (a second's worth, as `RateLimiter`): what it accepted ÷ (time elapsed + this) is the limit. */
  assumedBurstMs: 1_000,
  /** … or over a span within the last 2 s of at least this long (shorter ones would make much of a
   *  larger bucket than assumed). */
  minBurstSpanMs: 500,
  /** … and the pace drops to this share of that first estimate, then searches upwards. */
  firstDecreaseTo: 0.9,
  /** Until a 429 has been measured against an earlier one, the pace grows by this share per second. */
  searchGrowthPerSecond: 0.15,
  /** A 429 means Mixpanel's bucket is empty: between two of them it accepted the limit × the time
   *  between, so a later 429 measures the limit over at least `minSpanMs` (the oldest 429 within
   *  `maxSpanMs`) and the pace drops to this share of it … */
  decreaseTo: 0.95,
  minSpanMs: 1_000,
  maxSpanMs: 30_000,
  /** … and no further for this long, as the replies to requests already in flight arrive. */
  holdMs: 1_000,
  /** … but never below this share of the best 2-s window of the run: 429s that are not about the
   *  rate (a proxy's, a flaky load balancer's) must not spiral the pace down to nothing. */
  floorOfPeak: 0.5,
  windowMs: 2_000,
  /** Once the limit is measured the pace grows by this share per second … */
  growthPerSecond: 0.05,
  /** … up to this share of it, for `probeAfterMs` after the last 429; then it grows past it again,
   *  in case the limit rose. Fewer 429s: each one costs its batch a backoff of seconds. */
  ceilingShare: 0.97,
  probeAfterMs: 10_000,
  minPerSecond: 100,
} as const;

/** A moment Mixpanel's bucket was known empty (a 429 that lowered the pace), and the records accepted by then. */
interface EmptyMark {
  readonly at: number;
  readonly acceptedBefore: number;
}

/**
 * The run's shared pace (README "Performance": "a 429 slows the whole run"): unlimited (or
 * `--rate`) until Mixpanel answers 429, then an estimate of its limit from what it accepted over
 * the time actually elapsed, searching upwards until a second 429 measures the limit between
 * the two, then just under that limit, and past it only after a while without 429s.
 * `--rate` stays a hard cap. Pure apart from the injected clock.
 */
export class AdaptivePace {
  private bucket: RateLimiter | null;
  private readonly history: Array<{ at: number; count: number }> = [];
  private windowTotal = 0;
  private acceptedTotal = 0;
  private peakPerSecond = 0;
  private startedAt: number | null = null;
  private readonly marks: EmptyMark[] = [];
  private lastDecrease = -Infinity;
  private decreases = 0;
  private lastGrowth = 0;
  /** Where growth stops until `probeAfterMs` after the last 429; Infinity until the limit is measured. */
  private ceiling = Infinity;

  constructor(
    private readonly cap: number | null,
    private readonly clock: Clock,
  ) {
    this.bucket = cap === null ? null : new RateLimiter(cap, clock);
  }

  /** How many 429s have lowered the pace so far (0: it has been unlimited, or `--rate`, all along). */
  get slowdowns(): number {
    return this.decreases;
  }

  /** Records per second allowed now; null when unlimited. */
  get perSecond(): number | null {
    return this.bucket?.perSecond ?? null;
  }

  take(count: number): Promise<void> | void {
    this.startedAt ??= this.clock.now();
    if (this.bucket !== null) return this.bucket.take(count);
  }

  /** Mixpanel accepted `count` records. */
  recordAccepted(count: number): void {
    const now = this.clock.now();
    this.startedAt ??= now;
    this.acceptedTotal += count;
    this.history.push({ at: now, count });
    this.windowTotal += count;
    while (this.history.length > 0 && this.history[0]!.at < now - ADAPTIVE.windowMs) this.windowTotal -= this.history.shift()!.count;
    this.peakPerSecond = Math.max(this.peakPerSecond, (this.windowTotal / ADAPTIVE.windowMs) * 1000);
    if (this.bucket === null || this.bucket.perSecond === this.cap) return;
    const seconds = (now - Math.max(this.lastGrowth, this.lastDecrease)) / 1000;
    if (seconds <= 0) return;
    const measured = this.ceiling !== Infinity;
    const share = measured ? ADAPTIVE.growthPerSecond : ADAPTIVE.searchGrowthPerSecond;
    const grown = this.bucket.perSecond * (1 + share * Math.min(seconds, 1));
    const ceiling = measured && now - this.lastDecrease < ADAPTIVE.probeAfterMs ? Math.max(this.ceiling, this.bucket.perSecond) : Infinity;
    this.bucket.perSecond = Math.min(this.cap ?? Infinity, ceiling, grown);
    this.lastGrowth = now;
  }

  /** Mixpanel answered 429: slow down to just under the limit it showed. */
  slowDown(): void {
    const now = this.clock.now();
    if (now - this.lastDecrease < ADAPTIVE.holdMs) return;
    // Nothing accepted yet: no measure to go by; the failed batch's own backoff still applies.
    if (this.acceptedTotal === 0) return;
    const { limit, measured } = this.estimateLimit(now);
    this.lastDecrease = now;
    this.decreases += 1;
    this.marks.push({ at: now, acceptedBefore: this.acceptedTotal });
    while (this.marks.length > 1 && this.marks[0]!.at < now - ADAPTIVE.maxSpanMs) this.marks.shift();
    if (measured) this.ceiling = ADAPTIVE.ceilingShare * limit;
    const share = measured ? ADAPTIVE.decreaseTo : ADAPTIVE.firstDecreaseTo;
    const lowered = share * Math.min(limit, this.bucket?.perSecond ?? limit);
    const next = Math.round(Math.max(ADAPTIVE.minPerSecond, ADAPTIVE.floorOfPeak * this.peakPerSecond, lowered));
    const perSecond = Math.min(this.cap ?? Infinity, next);
    if (this.bucket === null) this.bucket = new RateLimiter(perSecond, this.clock);
    else this.bucket.perSecond = perSecond;
    // The 429 says Mixpanel's allowance is used up now: a second of credit on this side would only
    // send a burst into the same limit.
    this.bucket.empty();
  }

  /**
   * Mixpanel's limit (records/s) as the records it accepted show it. Since an earlier 429 (its
   * bucket empty then and now) that is what it accepted over the time between. At the first 429,
   * its bucket (at most a second of allowance) is empty now, so over any span ending now it
   * accepted at most the limit × (span + 1 s): the span that shows the most, from the run's first
   * request or within the last 2 s (a run that was not sending all along shows it in a burst).
   */
  private estimateLimit(now: number): { limit: number; measured: boolean } {
    const since = this.marks.find((mark) => now - mark.at >= ADAPTIVE.minSpanMs);
    if (since !== undefined) return { limit: ((this.acceptedTotal - since.acceptedBefore) / (now - since.at)) * 1000, measured: true };
    let best = this.acceptedTotal / (now - (this.startedAt ?? now) + ADAPTIVE.assumedBurstMs);
    let after = 0; // accepted after history[i]
    for (let i = this.history.length - 1; i >= 0; i -= 1) {
      const span = now - this.history[i]!.at;
      if (span >= ADAPTIVE.minBurstSpanMs) best = Math.max(best, after / (span + ADAPTIVE.assumedBurstMs));
      after += this.history[i]!.count;
    }
    return { limit: best * 1000, measured: false };
  }
}
