/**
 * What every batch of a delivery shares about the run: the fatal error that stopped it, whether it
 * was interrupted, and how many batches are waiting out a backoff. A stop ends every wait at once.
 */
export class DeliveryState {
  fatal: string | null = null;
  /** Batches waiting out their retry backoff. */
  waitingOut = 0;
  /** When the latest wait after a 429 ends (clock ms; 0: none yet), for the progress display. */
  rateLimitedUntil = 0;
  private interrupted = false;
  private wake: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  get stopping(): boolean {
    return this.interrupted;
  }

  /** SIGINT/SIGTERM: waits end now; nothing is retried after it. */
  stop(): void {
    this.interrupted = true;
    this.wake();
  }

  /** `wait`, ended early by a stop. */
  async unlessStopped(wait: Promise<void> | void): Promise<void> {
    if (wait === undefined || this.interrupted) return;
    await Promise.race([wait, this.stopped]);
  }

  /** Count a batch as backing off while `wait` runs (the sink leaves room for new batches meanwhile). */
  async backingOff(wait: Promise<void>): Promise<void> {
    this.waitingOut += 1;
    try {
      await wait;
    } finally {
      this.waitingOut -= 1;
    }
  }

  stoppedReason(): string {
    return `not delivered: the run stopped (${this.fatal})`;
  }
}
