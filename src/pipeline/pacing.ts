/** Time, injected so tests can drive it. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

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
 * Client-side ceiling on records per second (`--rate`): a token bucket holding one second of
 * allowance. A request larger than the bucket may take it below zero, so it cannot starve.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
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
      if (this.tokens >= Math.min(count, this.perSecond)) {
        this.tokens -= count;
        return;
      }
      await this.clock.sleep(Math.ceil(((Math.min(count, this.perSecond) - this.tokens) / this.perSecond) * 1000));
    }
  }
}
