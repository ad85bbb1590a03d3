/**
 * What every batch of a delivery shares about the run: the fatal error that stopped it, whether it
 * was interrupted, and how many batches are waiting out a backoff. A stop ends every wait at once.
 */
export class DeliveryState {
  /** The fatal error that stopped delivery (set with `fail`). */
  private fatalError: string | null = null;
  /** Batches waiting out their retry backoff. */
  waitingOut = 0;
  /** When the latest wait after a 429 ends (clock ms; 0: none yet), for the progress display. */
  rateLimitedUntil = 0;
  private interrupted = false;
  private wake: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  get fatal(): string | null {
    return this.fatalError;
  }

  get stopping(): boolean {
    return this.interrupted;
  }

  /** Interrupted or stopped by a fatal error: no request starts any more. */
  get halted(): boolean {
    return this.interrupted || this.fatalError !== null;
  }

  /** SIGINT/SIGTERM: waits end now; no request starts after it. */
  stop(): void {
    this.interrupted = true;
    this.wake();
  }

  /** A fatal error (the first one is kept): waits end now; no request starts after it. */
  fail(message: string): void {
    this.fatalError ??= message;
    this.wake();
  }

  /** `wait`, ended early by a stop or a fatal error. */
  async unlessStopped(wait: Promise<void> | void): Promise<void> {
    if (wait === undefined || this.halted) return;
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
