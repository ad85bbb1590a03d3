/** Backoff settings (README "Delivery": start ~2 s, double to 60 s, plus 1–5 s of jitter). */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60_000 };

/**
 * The wait before retry number `attempt` (1-based). Pure: `random` in [0, 1) supplies the jitter,
 * which scales with the base (1–5 s at the default 2 s). A Retry-After longer than the backoff wins.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | null, random: number): number {
  const backoff = Math.min(policy.baseMs * 2 ** (attempt - 1), policy.maxMs);
  const jitter = policy.baseMs * (0.5 + 2 * random);
  return Math.round(Math.max(backoff, retryAfterMs ?? 0) + jitter);
}

/** Whether another attempt is allowed after `attempt` failed ones. */
export function mayRetry(attempt: number, maxRetries: number): boolean {
  return attempt <= maxRetries;
}
