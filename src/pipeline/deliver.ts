import { Buffer } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback, constants as zlibConstants } from 'node:zlib';
import pLimit from 'p-limit';
import type { DeliveryConfig } from '../config/run-config.js';
import { describeAuth } from '../mixpanel/auth.js';
import { classifyReply, type Classification } from '../mixpanel/classify.js';
import type { MixpanelClient } from '../mixpanel/client.js';
import type { Endpoint } from '../mixpanel/types.js';
import type { Accounting } from './account.js';
import type { AliasGate } from './alias-gate.js';
import { Batcher, BodyPool, LineTally, sliceBatch, type Batch, type RecordSource, type Rejection } from './batcher.js';
import { AdaptivePace, SharedBackoff, type Clock } from './pacing.js';
import type { DeliveryStats } from './report.js';
import { mayRetry, retryDelay, type BackoffPolicy } from './retry-policy.js';
import type { LineSink } from './run.js';
import type { OutgoingBlock } from './wire-records.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

export interface DeliveryDeps {
  readonly client: MixpanelClient;
  readonly clock: Clock;
  readonly random: () => number;
}

export interface DeliverySink extends LineSink {
  /** Send the partly filled batches now, without waiting for them (end of the alias pass). */
  flushOpen(): void;
  /** Stop (SIGINT): reading stops; what is mapped is sent once, without retries; nothing waits for aliases. */
  stop(): void;
  /** The fatal error that stopped delivery, if any (exit 3). */
  readonly fatal: string | null;
}

const QUEUED_BATCHES = 2;

/** A block's records on their way: where they live, and the tally that settles their lines. */
class BlockInFlight implements RecordSource {
  constructor(
    readonly block: OutgoingBlock,
    readonly tally: LineTally,
  ) {}

  endpoint(record: number): Endpoint {
    return this.block.endpoint(record);
  }

  byteLength(record: number): number {
    return this.block.byteLength(record);
  }

  takeRecord(record: number, target: Buffer, at: number): void {
    this.block.takeRecord(record, target, at);
  }
}

type OutgoingBatch = Batch<BlockInFlight>;

/** At most this many records wait for their aliases before reading pauses. */
const MAX_HELD_RECORDS = 100_000;

/**
 * The sender: batches per endpoint, gzip for /import, `concurrency` requests in flight, the
 * response handling of SPEC §6, and alias ordering through the gate. Only loops and dispatches:
 * what a reply means is classify.ts, how long to wait is retry-policy.ts.
 */
export function createDeliverySink(
  config: DeliveryConfig & { readonly backoff: BackoffPolicy },
  accounting: Accounting,
  stats: DeliveryStats,
  deps: DeliveryDeps,
  gate: AliasGate | null,
): DeliverySink {
  const limit = pLimit(config.concurrency);
  const bodies = new BodyPool();
  const batcher = new Batcher<BlockInFlight>(config.batchSize, bodies);
  const backoff = new SharedBackoff(deps.clock);
  const pace = new AdaptivePace(config.rate, deps.clock);
  const running = new Set<Promise<void>>();
  let fatal: string | null = null;
  let stopping = false;
  let held = 0;
  /** Batches waiting out their retry backoff. */
  let backingOff = 0;
  let heldWaiters: Array<() => void> = [];

  /** A batch in progress: encoding, waiting, sending, backing off. Only the HTTP exchange holds a slot. */
  function dispatch(batch: OutgoingBatch): void {
    const task = sendBatch(batch);
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  function enqueue(source: BlockInFlight, record: number): void {
    for (const batch of batcher.add(source, record)) dispatch(batch);
  }

  /** Settle record k of a batch (its endpoint's accounting is the caller's). */
  function settleRecord(batch: OutgoingBatch, k: number, rejection: Rejection | null): void {
    const source = batch.sources[k]!;
    const record = batch.records[k]!;
    if (gate !== null) {
      const newId = source.block.aliasFor(record);
      if (newId !== null) gate.acknowledged(newId);
    }
    source.tally.done(record, rejection);
  }

  /** Settle every record of a batch the same way. */
  function settleAll(batch: OutgoingBatch, rejection: Rejection | null): void {
    const count = batch.records.length;
    if (rejection === null) accounting.delivered(batch.endpoint, count);
    else accounting.recordRejected(batch.endpoint, count);
    for (let k = 0; k < count; k += 1) settleRecord(batch, k, rejection);
  }

  async function sendBatch(batch: OutgoingBatch): Promise<void> {
    if (fatal !== null) {
      bodies.give(batch.memory);
      return abandon(batch);
    }
    const { json } = batch;
    const useGzip = batch.endpoint === '/import';
    let body: Buffer = json;
    if (useGzip) {
      try {
        body = await gzip(json, { level: zlibConstants.Z_BEST_SPEED });
      } finally {
        bodies.give(batch.memory);
      }
    }
    try {
      return await attempts(batch, json.length, body, useGzip);
    } finally {
      if (!useGzip) bodies.give(batch.memory);
    }
  }

  /** Send one batch until it is settled: delivered, rejected, split, given up, or stopped. */
  async function attempts(batch: OutgoingBatch, rawBytes: number, body: Buffer, useGzip: boolean): Promise<void> {
    const { endpoint } = batch;
    const size = batch.records.length;
    for (let attempt = 1; ; attempt += 1) {
      await backoff.wait();
      // Every attempt counts against Mixpanel's limit, retries included.
      await pace.take(size);
      if (fatal !== null) return abandon(batch, attempt > 1);
      const outcome = await limit(() => exchange(endpoint, rawBytes, body, useGzip, size));
      switch (outcome.kind) {
        case 'delivered':
          pace.recordAccepted(size);
          settleAll(batch, null);
          return;
        case 'partial': {
          const failed = new Map(outcome.failed.map((f) => [f.index, f.message]));
          // Only the batch's own indexes count: one outside it (a malformed reply) rejects nothing.
          let rejected = 0;
          for (let k = 0; k < size; k += 1) if (failed.has(k)) rejected += 1;
          pace.recordAccepted(size - rejected);
          accounting.delivered(endpoint, size - rejected);
          accounting.recordRejected(endpoint, rejected);
          for (let k = 0; k < size; k += 1) {
            const message = failed.get(k);
            settleRecord(batch, k, message === undefined ? null : byMixpanel(message));
          }
          return;
        }
        case 'rejected':
          settleAll(batch, byMixpanel(outcome.message));
          return;
        case 'split': {
          // The halves are cut from the body as sent (a gzipped body's memory went back to the pool).
          const json = useGzip ? await gunzip(body) : batch.json;
          const half = Math.ceil(size / 2);
          const first = sliceBatch(batch, 0, half, json, bodies);
          const second = sliceBatch(batch, half, size, json, bodies);
          await sendBatch(first);
          await sendBatch(second);
          return;
        }
        case 'retry':
          if (stopping) {
            // Interrupted: no more retries. The outcome is unknown, so $add/$append updates may
            // have been applied: count them and leave the lines unsettled.
            countNonIdempotent(batch);
            return;
          }
          if (!mayRetry(attempt, config.maxRetries)) {
            stopWith(`giving up after ${attempt} attempts: ${outcome.message}`, batch);
            return;
          }
          stats.retries += 1;
          if (outcome.rateLimited) stats.status429 += 1;
          // A 429 slows the whole run down (shared pace; a Retry-After pauses everyone); every
          // retried batch waits its own exponential backoff before trying again.
          if (outcome.rateLimited) pace.slowDown();
          if (outcome.retryAfterMs !== null) backoff.pause(outcome.retryAfterMs);
          backingOff += 1;
          try {
            await deps.clock.sleep(retryDelay(attempt, config.backoff, outcome.retryAfterMs, deps.random()));
          } finally {
            backingOff -= 1;
          }
          continue;
        case 'fatal': {
          const credential = endpoint === '/import' ? ` using the ${describeAuth(config.auth)}` : ' (the project token in the records)';
          stopWith(`${outcome.message}; check the credentials${credential}`, batch);
          return;
        }
      }
    }
  }

  /** One HTTP exchange, classified; a network failure or timeout is a retry. */
  async function exchange(endpoint: Endpoint, rawBytes: number, body: Buffer, useGzip: boolean, size: number): Promise<Classification> {
    stats.requests += 1;
    stats.bytesRaw += rawBytes;
    stats.bytesWire += body.length;
    try {
      return classifyReply(endpoint, await deps.client.post(endpoint, body, useGzip), size, deps.clock.now());
    } catch (error) {
      return { kind: 'retry', message: `network error on ${endpoint}: ${(error as Error).message}`, retryAfterMs: null, rateLimited: false };
    }
  }

  function stopWith(message: string, batch: OutgoingBatch): void {
    if (fatal === null) fatal = message;
    abandon(batch, true);
  }

  /**
   * After a fatal error, records not delivered are settled as rejected ("unsent") so every line
   * read is accounted for; the checkpoint does not record them, so a re-run sends them.
   * `attempted`: the batch had been sent; its `$add`/`$append` may or may not have been applied.
   */
  function abandon(batch: OutgoingBatch, attempted = false): void {
    if (attempted) countNonIdempotent(batch);
    settleAll(batch, { reason: stoppedReason(), unsent: true });
  }

  /** `$add`/`$append` updates that may or may not have been applied (sent, no answer). */
  function countNonIdempotent(batch: OutgoingBatch): void {
    for (let k = 0; k < batch.records.length; k += 1) if (!batch.sources[k]!.block.idempotent(batch.records[k]!)) stats.nonIdempotentInFlight += 1;
  }

  function stoppedReason(): string {
    return `not delivered: the run stopped (${fatal})`;
  }

  function releaseHeld(source: BlockInFlight, record: number): void {
    held -= 1;
    if (!stopping) enqueue(source, record);
    if (held < MAX_HELD_RECORDS && heldWaiters.length > 0) {
      const waiters = heldWaiters;
      heldWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  return {
    kind: 'records',
    accept(block, lines, settle) {
      if (fatal !== null) {
        const rejection = { reason: stoppedReason(), unsent: true };
        for (const line of lines) settle(line, rejection);
        throw new FatalDelivery(fatal);
      }
      const source = new BlockInFlight(block, new LineTally(block.lineCount, (line) => block.firstRecord(line), settle));
      for (const line of lines) {
        const first = block.firstRecord(line);
        const end = block.firstRecord(line + 1);
        if (first === end) settle(line, null); // nothing to send: the tally would never settle it
        for (let record = first; record < end; record += 1) {
          const id = gate === null || !gate.holdsAny() ? null : block.distinctId(record);
          if (id !== null && gate!.isHeld(id)) {
            held += 1;
            gate!.whenFree(id, () => releaseHeld(source, record));
          } else {
            enqueue(source, record);
          }
        }
      }
      if (stopping) return;
      if (held >= MAX_HELD_RECORDS) return new Promise<void>((resolve) => heldWaiters.push(resolve));
      // Two batches beyond the connections keep every connection busy; more only holds memory.
      // Batches waiting out a backoff (seconds, after a 429) leave room for as many new ones, up
      // to the connections: new batches keep going at the shared pace meanwhile, and reading
      // ahead stays bounded.
      if (running.size >= config.concurrency + QUEUED_BATCHES + Math.min(backingOff, config.concurrency)) return Promise.race(running).then(() => undefined);
    },
    flushOpen() {
      for (const batch of batcher.drain()) dispatch(batch);
    },
    stop() {
      stopping = true;
    },
    async finish() {
      while (!stopping && fatal === null && (held > 0 || running.size > 0)) {
        for (const batch of batcher.drain()) dispatch(batch);
        await Promise.race([...running, deps.clock.sleep(50)]);
      }
      // Also when interrupted: what is already mapped goes out once (no retries), so a line is
      // not left half delivered; records still waiting for an alias stay unsent.
      if (fatal === null) for (const batch of batcher.drain()) dispatch(batch);
      while (running.size > 0) await Promise.allSettled([...running]);
      if (fatal !== null) {
        for (const batch of batcher.drain()) abandon(batch);
        gate?.releaseAll();
        while (running.size > 0) await Promise.allSettled([...running]);
        for (const batch of batcher.drain()) abandon(batch);
      }
      await deps.client.close();
      if (fatal !== null) throw new FatalDelivery(fatal);
    },
    get fatal() {
      return fatal;
    },
  };
}

export class FatalDelivery extends Error {}

function byMixpanel(message: string): Rejection {
  return { reason: `Mixpanel rejected the record: ${message}`, unsent: false };
}
