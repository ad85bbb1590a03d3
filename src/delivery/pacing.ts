import type { Clock } from '../lib/clock.js';
/**
 * A pause shared by every request of a run: a 429 or 5xx pushes it forward, and every request
 * waits for it before going out, so one rate-limit reply slows the whole run (SPEC §6).
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

/** How the run adapts its pace to Mixpanel's rate limit. */
export const ADAPTIVE = {
  /** After a 429, the pace drops to this share of what was accepted over the last window … */
  decreaseTo: 0.85,
  windowMs: 2_000,
  /** … and no further for this long, as the replies to requests already in flight arrive. */
  holdMs: 1_000,
  /** … but never below this share of the best window of the run: 429s that are not about the
   *  rate (a proxy's, a flaky load balancer's) must not spiral the pace down to nothing. */
  floorOfPeak: 0.5,
  /** Without 429s the pace grows by this share per second … */
  growthPerSecond: 0.05,
  /** … up to this share of what was accepted over the window before the last 429 (the limit
   *  Mixpanel showed), for `probeAfterMs` after that 429; then it grows past it again, in case
   *  the limit rose. Fewer 429s: each one costs its batch a backoff of seconds (SPEC §6). */
  ceilingShare: 0.97,
  probeAfterMs: 10_000,
  minPerSecond: 100,
} as const;

/**
 * The run's shared pace (SPEC §6: "a 429 slows the whole run"): unlimited (or `--rate`) until
 * Mixpanel answers 429, then a ceiling just under the throughput it was accepting, growing again
 * while no 429 comes (multiplicative decrease, steady increase) to just under the limit it showed,
 * and past it only after a while without 429s. `--rate` stays a hard cap.
 */
export class AdaptivePace {
  private bucket: RateLimiter | null;
  private readonly history: Array<{ at: number; count: number }> = [];
  private windowTotal = 0;
  private peakPerSecond = 0;
  private lastDecrease = -Infinity;
  private lastGrowth = 0;
  /** Where growth stops until `probeAfterMs` after the last 429 (records per second). */
  private ceiling = Infinity;

  constructor(
    private readonly cap: number | null,
    private readonly clock: Clock,
  ) {
    this.bucket = cap === null ? null : new RateLimiter(cap, clock);
  }

  /** Records per second allowed now; null when unlimited. */
  get perSecond(): number | null {
    return this.bucket?.perSecond ?? null;
  }

  take(count: number): Promise<void> | void {
    if (this.bucket !== null) return this.bucket.take(count);
  }

  /** Mixpanel accepted `count` records. */
  recordAccepted(count: number): void {
    const now = this.clock.now();
    this.history.push({ at: now, count });
    this.windowTotal += count;
    while (this.history.length > 0 && this.history[0]!.at < now - ADAPTIVE.windowMs) this.windowTotal -= this.history.shift()!.count;
    this.peakPerSecond = Math.max(this.peakPerSecond, (this.windowTotal / ADAPTIVE.windowMs) * 1000);
    if (this.bucket === null || this.bucket.perSecond === this.cap) return;
    const seconds = (now - Math.max(this.lastGrowth, this.lastDecrease)) / 1000;
    if (seconds <= 0) return;
    const grown = this.bucket.perSecond * (1 + ADAPTIVE.growthPerSecond * Math.min(seconds, 1));
    const ceiling = now - this.lastDecrease < ADAPTIVE.probeAfterMs ? Math.max(this.ceiling, this.bucket.perSecond) : Infinity;
    this.bucket.perSecond = Math.min(this.cap ?? Infinity, ceiling, grown);
    this.lastGrowth = now;
  }

  /** Mixpanel answered 429: slow down to just under what it was accepting. */
  slowDown(): void {
    const now = this.clock.now();
    if (now - this.lastDecrease < ADAPTIVE.holdMs) return;
    let recent = 0;
    for (const entry of this.history) if (entry.at >= now - ADAPTIVE.windowMs) recent += entry.count;
    // Nothing accepted yet: no measure to go by; the failed batch's own backoff still applies.
    if (recent === 0) return;
    this.lastDecrease = now;
    const measured = (recent / ADAPTIVE.windowMs) * 1000;
    this.ceiling = ADAPTIVE.ceilingShare * measured;
    const lowered = ADAPTIVE.decreaseTo * Math.min(measured, this.bucket?.perSecond ?? measured);
    const next = Math.round(Math.max(ADAPTIVE.minPerSecond, ADAPTIVE.floorOfPeak * this.peakPerSecond, lowered));
    const perSecond = Math.min(this.cap ?? Infinity, next);
    if (this.bucket === null) this.bucket = new RateLimiter(perSecond, this.clock);
    else this.bucket.perSecond = perSecond;
    // The 429 says Mixpanel's allowance is used up now: a second of credit on this side would only
    // send a burst into the same limit.
    this.bucket.empty();
  }
}
