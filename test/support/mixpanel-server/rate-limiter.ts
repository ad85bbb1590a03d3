// Per-project token bucket over records (all endpoints).

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * Capacity = eventsPerSecond × burstSeconds, refilled continuously from the clock. A request of
 * n records takes n tokens. A request larger than the capacity is admitted when the bucket is
 * full and drives it negative, so it cannot starve; it is paid back by the refill.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;

  constructor(
    private readonly eventsPerSecond: number,
    burstSeconds: number,
    private readonly now: () => number,
  ) {
    this.capacity = eventsPerSecond * burstSeconds;
  }

  private bucket(projectId: string): Bucket {
    const nowMs = this.now();
    let bucket = this.buckets.get(projectId);
    if (bucket === undefined) {
      bucket = { tokens: this.capacity, lastMs: nowMs };
      this.buckets.set(projectId, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, nowMs - bucket.lastMs);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (elapsed * this.eventsPerSecond) / 1000);
    bucket.lastMs = nowMs;
    return bucket;
  }

  private fits(bucket: Bucket, n: number): boolean {
    return bucket.tokens >= n || bucket.tokens >= this.capacity;
  }

  /** Takes the records of every project named, or none of them when any does not fit. */
  tryTake(counts: ReadonlyMap<string, number>): boolean {
    for (const [projectId, n] of counts) {
      if (!this.fits(this.bucket(projectId), n)) return false;
    }
    for (const [projectId, n] of counts) this.bucket(projectId).tokens -= n;
    return true;
  }
}
