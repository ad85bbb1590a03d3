import pLimit from 'p-limit';
import type { DeliveryConfig } from '../config/run-config.js';
import { FatalDelivery } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import type { MixpanelClient } from '../mixpanel/client.js';
import type { AliasGate } from './alias-gate.js';
import { Batcher, BodyPool, type Rejection } from './batcher.js';
import { InFlightBlock } from './in-flight-block.js';
import { LineTally } from './line-tally.js';
import type { OutgoingBlock } from './outgoing-block.js';
import { AdaptivePace, SharedBackoff } from './pacing.js';
import type { RecordJournal } from './record-journal.js';
import type { BackoffPolicy } from './retry-policy.js';
import { abandon, sendBatch, type OutgoingBatch, type RecordCounts, type SendContext } from './send-batch.js';
import { DeliveryState } from './state.js';
import type { DeliveryStats } from './stats.js';

/** Where mapped records go, a block at a time: the Mixpanel sender. */
export interface LineSink {
  readonly kind: 'records';
  /**
   * Take the records of the given lines (indexes) of a block. `settle` is called once per line,
   * when all its records are settled: with null when all were delivered, else the rejection.
   * The promise resolves when the sink has room for more (backpressure).
   */
  accept(block: OutgoingBlock, lines: readonly number[], settle: (line: number, rejection: Rejection | null) => void): Promise<void> | void;
  /** Send what is buffered and resolve once every accepted line has settled. */
  finish(): Promise<void>;
}

export interface DeliveryDeps {
  readonly client: MixpanelClient;
  readonly clock: Clock;
  readonly random: () => number;
  /** With --checkpoint: acknowledged `$add`/`$append` records are journalled, and not sent again. */
  readonly journal?: RecordJournal;
}

export interface DeliverySink extends LineSink {
  /** Send the partly filled batches now, without waiting for them (end of the alias pass). */
  flushOpen(): void;
  /** Stop (SIGINT): reading stops; no request starts any more; nothing waits for aliases. */
  stop(): void;
  /** Stop as fatal (the journal cannot be written): nothing new is sent; what is in flight finishes, the rest is not delivered. */
  fail(reason: string): void;
  /** The fatal error that stopped delivery, if any (exit 3). */
  readonly fatal: string | null;
  /** When the latest wait after a 429 ends (clock ms; 0: none). */
  readonly rateLimitedUntil: number;
}

/** Two batches beyond the connections keep every connection busy; more only holds memory. */
const QUEUED_BATCHES = 2;

/** At most this many records wait for their aliases before reading pauses. */
const MAX_HELD_RECORDS = 100_000;

/**
 * The sender: batches per endpoint, `concurrency` requests in flight, alias ordering through the
 * gate, and backpressure on the reader. One batch's sending is send-batch.ts; what a reply means
 * is classify.ts; how long to wait is retry-policy.ts.
 */
export function createDeliverySink(
  config: DeliveryConfig & { readonly backoff: BackoffPolicy },
  counts: RecordCounts,
  stats: DeliveryStats,
  deps: DeliveryDeps,
  gate: AliasGate | null,
): DeliverySink {
  const bodies = new BodyPool();
  const ctx: SendContext = {
    config,
    counts,
    stats,
    ...deps,
    limit: pLimit(config.concurrency),
    pace: new AdaptivePace(config.rate, deps.clock),
    backoff: new SharedBackoff(deps.clock),
    bodies,
    gate,
    state: new DeliveryState(),
    journal: deps.journal ?? null,
  };
  return new Sink(ctx, new Batcher<InFlightBlock>(config.batchSize, bodies));
}

class Sink implements DeliverySink {
  readonly kind = 'records';
  /** Batches in progress: encoding, waiting, sending, backing off. */
  private readonly running = new Set<Promise<void>>();
  private readonly held = new HeldRecords();

  constructor(
    private readonly ctx: SendContext,
    private readonly batcher: Batcher<InFlightBlock>,
  ) {}

  get fatal(): string | null {
    return this.ctx.state.fatal;
  }

  get rateLimitedUntil(): number {
    return this.ctx.state.rateLimitedUntil;
  }

  accept(block: OutgoingBlock, lines: readonly number[], settle: (line: number, rejection: Rejection | null) => void): Promise<void> | void {
    const { state, gate } = this.ctx;
    if (state.fatal !== null) {
      const rejection = { reason: state.stoppedReason(), unsent: true };
      for (const line of lines) settle(line, rejection);
      throw new FatalDelivery(state.fatal);
    }
    const source = new InFlightBlock(block, new LineTally(block.lineCount, (line) => block.firstRecord(line), settle));
    for (const line of lines) {
      const first = block.firstRecord(line);
      const end = block.firstRecord(line + 1);
      if (first === end) settle(line, null); // nothing to send: the tally would never settle it
      for (let record = first; record < end; record += 1) {
        if (this.acknowledgedBefore(block, line, record)) {
          this.skipAcknowledged(source, record);
          continue;
        }
        const id = gate === null || !gate.holdsAny() ? null : block.distinctId(record);
        if (id !== null && gate!.isHeld(id)) this.hold(gate!, id, source, record);
        else this.enqueue(source, record);
      }
    }
    if (state.stopping) return;
    return this.room();
  }

  flushOpen(): void {
    for (const batch of this.batcher.drain()) this.dispatch(batch);
  }

  stop(): void {
    this.ctx.state.stop();
  }

  fail(reason: string): void {
    this.ctx.state.fail(reason);
  }

  async finish(): Promise<void> {
    const { state } = this.ctx;
    while (!state.halted && (this.held.count > 0 || this.running.size > 0)) {
      this.flushOpen();
      await Promise.race([...this.running, this.ctx.clock.sleep(50)]);
    }
    // After a stop nothing new is sent: the open batches' lines stay unsettled (interrupt) or are
    // settled as not delivered (fatal); records still waiting for an alias stay unsent.
    if (!state.halted) this.flushOpen();
    await this.settleRunning();
    if (state.fatal !== null) {
      this.abandonOpen();
      this.ctx.gate?.releaseAll();
      await this.settleRunning();
      this.abandonOpen();
    }
    await this.ctx.client.close();
    if (state.fatal !== null) throw new FatalDelivery(state.fatal);
  }

  private dispatch(batch: OutgoingBatch): void {
    const task = sendBatch(this.ctx, batch);
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Whether an earlier run had Mixpanel acknowledge this `$add`/`$append` record (the checkpoint). */
  private acknowledgedBefore(block: OutgoingBlock, line: number, record: number): boolean {
    const { journal } = this.ctx;
    return journal !== null && !block.idempotent(record) && journal.isAcknowledged(block.file, block.lineNumber(line), record - block.firstRecord(line));
  }

  /** Not sent again: it counts as delivered for its line, and as resumed in the record counts. */
  private skipAcknowledged(source: InFlightBlock, record: number): void {
    source.block.skipRecord();
    this.ctx.counts.recordResumed(source.block.endpoint(record), 1);
    source.tally.done(record, null);
  }

  private enqueue(source: InFlightBlock, record: number): void {
    for (const batch of this.batcher.add(source, record)) this.dispatch(batch);
  }

  /** A record about an alias's new id waits until the alias is acknowledged (README "Alias ordering"). */
  private hold(gate: AliasGate, id: string, source: InFlightBlock, record: number): void {
    this.held.count += 1;
    gate.whenFree(id, () =>
      this.held.release(() => {
        if (!this.ctx.state.stopping) this.enqueue(source, record);
      }),
    );
  }

  /** Room for more: held records below the cap, and batches in progress within the queue. */
  private room(): Promise<void> | void {
    if (this.held.count >= MAX_HELD_RECORDS) return this.held.belowCap();
    // Batches waiting out a backoff (seconds, after a 429) leave room for as many new ones, up
    // to the connections: new batches keep going at the shared pace meanwhile, and reading
    // ahead stays bounded.
    const { concurrency } = this.ctx.config;
    if (this.running.size >= concurrency + QUEUED_BATCHES + Math.min(this.ctx.state.waitingOut, concurrency)) return Promise.race(this.running).then(() => undefined);
  }

  private async settleRunning(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private abandonOpen(): void {
    for (const batch of this.batcher.drain()) abandon(this.ctx, batch, false);
  }
}

/** Records waiting for their alias's acknowledgement, and the reader waiting for them to drop below the cap. */
class HeldRecords {
  count = 0;
  private waiters: Array<() => void> = [];

  /** A held record is free: `send` it, and wake the reader once below the cap. */
  release(send: () => void): void {
    this.count -= 1;
    send();
    if (this.count < MAX_HELD_RECORDS && this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  belowCap(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
