/** Transport figures from the sender (zeros in a dry run). */
export interface DeliveryStats {
  requests: number;
  retries: number;
  status429: number;
  bytesRaw: number;
  bytesWire: number;
  /** `$add` / `$append` updates that were in flight when a run stopped early (may or may not have applied). */
  nonIdempotentInFlight: number;
  /** Retry-After values longer than the backoff ceiling (60 s), waited only that long. */
  retryAfterCapped: number;
}

export const NO_DELIVERY: DeliveryStats = { requests: 0, retries: 0, status429: 0, bytesRaw: 0, bytesWire: 0, nonIdempotentInFlight: 0, retryAfterCapped: 0 };
