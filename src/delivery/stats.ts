/** Transport figures from the sender (zeros in a dry run). */
export interface DeliveryStats {
  requests: number;
  retries: number;
  status429: number;
  bytesRaw: number;
  bytesWire: number;
  /**
   * `$add` / `$append` updates whose last request got no definitive answer (no reply, a 5xx) when
   * the run stopped: they may or may not have been applied, and a resume sends them again.
   */
  nonIdempotentInFlight: number;
  /**
   * `$add` / `$append` updates sent again after a request that got no definitive answer (a reset,
   * a timeout, a 5xx; the server may have applied it): each may have been applied twice.
   */
  nonIdempotentRetried: number;
  /** Retry-After values longer than the backoff ceiling (60 s), waited only that long. */
  retryAfterCapped: number;
}

export const NO_DELIVERY: DeliveryStats = { requests: 0, retries: 0, status429: 0, bytesRaw: 0, bytesWire: 0, nonIdempotentInFlight: 0, nonIdempotentRetried: 0, retryAfterCapped: 0 };
