import { Buffer } from 'node:buffer';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlibConstants } from 'node:zlib';
import pLimit from 'p-limit';
import type { DeliveryConfig } from '../config/run-config.js';
import { describeAuth } from '../mixpanel/auth.js';
import { classifyReply, type Classification } from '../mixpanel/classify.js';
import type { MixpanelClient } from '../mixpanel/client.js';
import type { Endpoint } from '../mixpanel/types.js';
import type { Accounting } from './account.js';
import type { AliasGate } from './alias-gate.js';
import { Batcher, LineTicket, type Item, type Rejection } from './batcher.js';
import { AdaptivePace, SharedBackoff, type Clock } from './pacing.js';
import type { DeliveryStats } from './report.js';
import { mayRetry, retryDelay, type BackoffPolicy } from './retry-policy.js';
import type { LineSink, MappedLine } from './run.js';

const gzip = promisify(gzipCallback);

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
  const batcher = new Batcher(config.batchSize);
  const backoff = new SharedBackoff(deps.clock);
  const pace = new AdaptivePace(config.rate, deps.clock);
  const running = new Set<Promise<void>>();
  const bodies = new BodyBuffers();
  let fatal: string | null = null;
  let stopping = false;
  let held = 0;
  /** Batches waiting out their retry backoff. */
  let backingOff = 0;
  let heldWaiters: Array<() => void> = [];

  /** A batch in progress: encoding, waiting, sending, backing off. Only the HTTP exchange holds a slot. */
  function dispatch(items: Item[]): void {
    const task = sendBatch(items[0]!.record.endpoint, items);
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  function enqueue(item: Item): void {
    for (const batch of batcher.add(item)) dispatch(batch);
  }

  function settleItem(item: Item, rejection: Rejection | null): void {
    const endpoint = item.record.endpoint;
    if (rejection === null) accounting.delivered(endpoint, 1);
    else accounting.recordRejected(endpoint, 1);
    if (gate !== null && item.record.aliasFor !== null) gate.acknowledged(item.record.aliasFor);
    item.ticket.done(rejection);
  }

  async function sendBatch(endpoint: Endpoint, items: Item[]): Promise<void> {
    if (fatal !== null) return abandon(items);
    const { memory, json } = jsonArray(items, bodies);
    const rawBytes = json.length;
    const useGzip = endpoint === '/import';
    let body: Buffer = json;
    if (useGzip) {
      try {
        body = await gzip(json, { level: zlibConstants.Z_BEST_SPEED });
      } finally {
        bodies.give(memory);
      }
    }
    try {
      return await attempts(endpoint, items, rawBytes, body, useGzip);
    } finally {
      if (!useGzip) bodies.give(memory);
    }
  }

  /** Send one batch until it is settled: delivered, rejected, split, given up, or stopped. */
  async function attempts(endpoint: Endpoint, items: Item[], rawBytes: number, body: Buffer, useGzip: boolean): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await backoff.wait();
      // Every attempt counts against Mixpanel's limit, retries included.
      await pace.take(items.length);
      if (fatal !== null) return abandon(items, attempt > 1);
      const outcome = await limit(() => exchange(endpoint, rawBytes, body, useGzip, items.length));
      switch (outcome.kind) {
        case 'delivered':
          pace.recordAccepted(items.length);
          for (const item of items) settleItem(item, null);
          return;
        case 'partial': {
          const failed = new Map(outcome.failed.map((f) => [f.index, f.message]));
          pace.recordAccepted(items.length - failed.size);
          items.forEach((item, index) => settleItem(item, failed.has(index) ? byMixpanel(failed.get(index)!) : null));
          return;
        }
        case 'rejected':
          for (const item of items) settleItem(item, byMixpanel(outcome.message));
          return;
        case 'split': {
          const half = Math.ceil(items.length / 2);
          await sendBatch(endpoint, items.slice(0, half));
          await sendBatch(endpoint, items.slice(half));
          return;
        }
        case 'retry':
          if (stopping) {
            // Interrupted: no more retries. The outcome is unknown, so $add/$append updates may
            // have been applied: count them and leave the lines unsettled.
            countNonIdempotent(items);
            return;
          }
          if (!mayRetry(attempt, config.maxRetries)) {
            stopWith(`giving up after ${attempt} attempts: ${outcome.message}`, items);
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
          stopWith(`${outcome.message}; check the credentials${credential}`, items);
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

  function stopWith(message: string, items: Item[]): void {
    if (fatal === null) fatal = message;
    abandon(items, true);
  }

  /**
   * After a fatal error, records not delivered are settled as rejected ("unsent") so every line
   * read is accounted for; the checkpoint does not record them, so a re-run sends them.
   * `attempted`: the batch had been sent; its `$add`/`$append` may or may not have been applied.
   */
  function abandon(items: Item[], attempted = false): void {
    if (attempted) countNonIdempotent(items);
    const rejection = { reason: stoppedReason(), unsent: true };
    for (const item of items) settleItem(item, rejection);
  }

  /** `$add`/`$append` updates that may or may not have been applied (sent, no answer). */
  function countNonIdempotent(items: Item[]): void {
    stats.nonIdempotentInFlight += items.filter((i) => !i.record.idempotent).length;
  }

  function stoppedReason(): string {
    return `not delivered: the run stopped (${fatal})`;
  }

  function releaseHeld(item: Item): void {
    held -= 1;
    if (!stopping) enqueue(item);
    if (held < MAX_HELD_RECORDS && heldWaiters.length > 0) {
      const waiters = heldWaiters;
      heldWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  return {
    kind: 'records',
    accept({ line, settle }: MappedLine) {
      if (fatal !== null) {
        settle({ kind: 'rejected', type: line.type, stage: 'mixpanel', reason: stoppedReason(), unsent: true });
        throw new FatalDelivery(fatal);
      }
      const { type } = line;
      const ticket = new LineTicket(line.records.length, (rejection) =>
        settle(
          rejection === null
            ? { kind: 'delivered', type }
            : { kind: 'rejected', type, stage: 'mixpanel', reason: rejection.reason, ...(rejection.unsent && { unsent: true as const }) },
        ),
      );
      for (const record of line.records) {
        const item: Item = { record, ticket };
        const id = record.distinctId;
        if (gate !== null && id !== null && gate.isHeld(id)) {
          held += 1;
          gate.whenFree(id, () => releaseHeld(item));
        } else {
          enqueue(item);
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

/**
 * Memory for request bodies, used again once a request is done with it: a new buffer per batch
 * would be garbage the sending thread frees late (tens of MB of RSS on a large import).
 */
class BodyBuffers {
  private readonly free: Buffer[] = [];

  take(size: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.length >= size);
    return index === -1 ? Buffer.allocUnsafeSlow(Math.max(size, 2 * 1024 * 1024)) : this.free.splice(index, 1)[0]!;
  }

  give(memory: Buffer): void {
    if (this.free.length < 8) this.free.push(memory);
  }
}

/** The request body: the records' JSON bytes as one JSON array, in memory from `bodies`. */
function jsonArray(items: Item[], bodies: BodyBuffers): { memory: Buffer; json: Buffer } {
  // "[" + the records + a comma between each two + "]" (an empty list: "[]").
  let size = 1;
  for (const item of items) size += item.record.bytes.length + 1;
  size = Math.max(size, 2);
  const memory = bodies.take(size);
  memory[0] = 0x5b; // [
  let at = 1;
  for (const item of items) {
    if (at > 1) memory[at++] = 0x2c; // ,
    memory.set(item.record.bytes, at);
    at += item.record.bytes.length;
  }
  memory[at] = 0x5d; // ]
  return { memory, json: memory.subarray(0, size) };
}

function byMixpanel(message: string): Rejection {
  return { reason: `Mixpanel rejected the record: ${message}`, unsent: false };
}
