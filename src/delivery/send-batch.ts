import { Buffer } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback, constants as zlibConstants } from 'node:zlib';
import type { LimitFunction } from 'p-limit';
import type { DeliveryConfig } from '../config/run-config.js';
import type { Clock } from '../lib/clock.js';
import { describeAuth } from '../mixpanel/auth.js';
import { classifyReply, type Classification } from '../mixpanel/classify.js';
import type { MixpanelClient } from '../mixpanel/client.js';
import type { Endpoint } from '../mixpanel/types.js';
import type { AliasGate } from './alias-gate.js';
import { sliceBatch, type Batch, type BodyPool, type Rejection } from './batcher.js';
import type { InFlightBlock } from './in-flight-block.js';
import { journalAcknowledged, type RecordJournal } from './record-journal.js';
import type { AdaptivePace, SharedBackoff } from './pacing.js';
import { mayRetry, retryDelay, type BackoffPolicy } from './retry-policy.js';
import type { DeliveryState } from './state.js';
import type { DeliveryStats } from './stats.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

export type OutgoingBatch = Batch<InFlightBlock>;

/** The record counts the sender keeps (the run's accounting). */
export interface RecordCounts {
  delivered(endpoint: Endpoint, count: number): void;
  recordRejected(endpoint: Endpoint, count: number): void;
  /** Records not sent because an earlier run had them acknowledged (the checkpoint). */
  recordResumed(endpoint: Endpoint, count: number): void;
}

/** Everything one batch's send loop works with; shared by all batches of a delivery. */
export interface SendContext {
  readonly config: DeliveryConfig & { readonly backoff: BackoffPolicy };
  readonly counts: RecordCounts;
  readonly stats: DeliveryStats;
  readonly client: MixpanelClient;
  readonly clock: Clock;
  readonly random: () => number;
  /** The connections: only the HTTP exchange holds a slot. */
  readonly limit: LimitFunction;
  readonly pace: AdaptivePace;
  readonly backoff: SharedBackoff;
  readonly bodies: BodyPool;
  readonly gate: AliasGate | null;
  readonly state: DeliveryState;
  /** The checkpoint's per-record side, or null without --checkpoint. */
  readonly journal: RecordJournal | null;
}

/** One attempt's request: the body as sent, and whether an earlier attempt may have been applied. */
interface Attempt {
  readonly rawBytes: number;
  readonly body: Buffer;
  readonly useGzip: boolean;
  readonly attempt: number;
  readonly resend: boolean;
}

/** What the loop does after an outcome: try the batch again, or it is settled (or left, on a stop). */
type Next = 'again' | 'done';

/** Encode one batch (gzip for /import) and send it until it is settled. */
export async function sendBatch(ctx: SendContext, batch: OutgoingBatch): Promise<void> {
  if (ctx.state.halted) {
    ctx.bodies.give(batch.memory);
    return notSent(ctx, batch, false);
  }
  const useGzip = batch.endpoint === '/import';
  let body: Buffer = batch.json;
  if (useGzip) {
    try {
      body = await gzip(batch.json, { level: zlibConstants.Z_BEST_SPEED });
    } finally {
      ctx.bodies.give(batch.memory);
    }
  }
  try {
    await attempts(ctx, batch, batch.json.length, body, useGzip);
  } finally {
    if (!useGzip) ctx.bodies.give(batch.memory);
  }
}

/**
 * The send loop: wait for the shared backoff and the pace, exchange, act on the outcome. After a
 * stop (an interrupt or a fatal error) no request starts, not even one queued for a connection:
 * the batch is left (see `notSent`). Lines left half delivered are safe to resume: events
 * deduplicate, and acknowledged `$add`/`$append` records are in the journal.
 */
async function attempts(ctx: SendContext, batch: OutgoingBatch, rawBytes: number, body: Buffer, useGzip: boolean): Promise<void> {
  /** The last attempt left it unknown whether Mixpanel applied the batch (a reset, a timeout, a 5xx). */
  let ambiguous = false;
  for (let attempt = 1; ; attempt += 1) {
    await ctx.state.unlessStopped(ctx.backoff.wait());
    // Every attempt counts against Mixpanel's limit, retries included.
    await ctx.state.unlessStopped(ctx.pace.take(batch.records.length));
    const paced = ctx.pace.slowdowns;
    const send: Attempt = { rawBytes, body, useGzip, attempt, resend: ambiguous };
    const outcome: Classification | null = ctx.state.halted ? null : await ctx.limit(() => exchangeAtPace(ctx, batch, send, paced));
    if (outcome === null) return notSent(ctx, batch, ambiguous);
    ambiguous = outcome.kind === 'retry' && outcome.ambiguous;
    const next = await onOutcome(ctx, batch, outcome, attempt, body, useGzip);
    if (next === 'done') return;
  }
}

function onOutcome(ctx: SendContext, batch: OutgoingBatch, outcome: Classification, attempt: number, body: Buffer, useGzip: boolean): Next | Promise<Next> {
  switch (outcome.kind) {
    case 'delivered':
      return onDelivered(ctx, batch);
    case 'partial':
      return onPartial(ctx, batch, outcome.failed);
    case 'rejected':
      settleAll(ctx, batch, byMixpanel(outcome.message));
      return 'done';
    case 'split':
      return onSplit(ctx, batch, body, useGzip);
    case 'retry':
      return onRetry(ctx, batch, outcome, attempt);
    case 'fatal':
      // A refusal (401/403, a redirect): nothing was applied.
      abandon(ctx, batch, false);
      return 'done';
  }
}

function onDelivered(ctx: SendContext, batch: OutgoingBatch): Next {
  ctx.pace.recordAccepted(batch.records.length);
  settleAll(ctx, batch, null);
  return 'done';
}

/** A strict /import 400: the listed records are rejected, the others were ingested. */
function onPartial(ctx: SendContext, batch: OutgoingBatch, failures: ReadonlyArray<{ readonly index: number; readonly message: string }>): Next {
  const size = batch.records.length;
  const failed = new Map(failures.map((f) => [f.index, f.message]));
  // Only the batch's own indexes count: one outside it (a malformed reply) rejects nothing.
  let rejected = 0;
  for (let k = 0; k < size; k += 1) if (failed.has(k)) rejected += 1;
  ctx.pace.recordAccepted(size - rejected);
  ctx.counts.delivered(batch.endpoint, size - rejected);
  ctx.counts.recordRejected(batch.endpoint, rejected);
  for (let k = 0; k < size; k += 1) {
    const message = failed.get(k);
    settleRecord(ctx, batch, k, message === undefined ? null : byMixpanel(message));
  }
  return 'done';
}

/** Too large: the halves, cut from the body as sent (a gzipped body's memory went back to the pool). */
async function onSplit(ctx: SendContext, batch: OutgoingBatch, body: Buffer, useGzip: boolean): Promise<Next> {
  const json = useGzip ? await gunzip(body) : batch.json;
  const half = Math.ceil(batch.records.length / 2);
  const first = sliceBatch(batch, 0, half, json, ctx.bodies);
  const second = sliceBatch(batch, half, batch.records.length, json, ctx.bodies);
  await sendBatch(ctx, first);
  await sendBatch(ctx, second);
  return 'done';
}

async function onRetry(ctx: SendContext, batch: OutgoingBatch, outcome: Classification & { kind: 'retry' }, attempt: number): Promise<Next> {
  // Also the last attempt: its failure stopped the run (`stopReason`).
  if (ctx.state.halted) {
    notSent(ctx, batch, outcome.ambiguous);
    return 'done';
  }
  ctx.stats.retries += 1;
  if (outcome.rateLimited) ctx.stats.status429 += 1;
  // A 429 slowed the whole run down (shared pace, in `exchangeAndJournal`; a Retry-After pauses
  // everyone); every retried batch waits its own exponential backoff before trying again.
  // A Retry-After is waited at most as long as the backoff ceiling (60 s), and the cut is counted.
  const retryAfterMs = outcome.retryAfterMs === null ? null : Math.min(outcome.retryAfterMs, ctx.config.backoff.maxMs);
  if (retryAfterMs !== outcome.retryAfterMs) ctx.stats.retryAfterCapped += 1;
  if (retryAfterMs !== null) ctx.backoff.pause(retryAfterMs);
  const delay = retryDelay(attempt, ctx.config.backoff, retryAfterMs, ctx.random());
  if (outcome.rateLimited) ctx.state.rateLimitedUntil = Math.max(ctx.state.rateLimitedUntil, ctx.clock.now() + delay);
  await ctx.state.backingOff(ctx.state.unlessStopped(ctx.clock.sleep(delay)));
  return 'again';
}

/** What stops the run after this outcome: a fatal reply, or the last attempt failing; null if nothing. */
function stopReason(ctx: SendContext, batch: OutgoingBatch, outcome: Classification, attempt: number): string | null {
  if (outcome.kind === 'retry') return mayRetry(attempt, ctx.config.maxRetries) ? null : `giving up after ${attempt} attempts: ${outcome.message}`;
  if (outcome.kind !== 'fatal') return null;
  if (!outcome.credentials) return outcome.message;
  const credential = batch.endpoint === '/import' ? ` using the ${describeAuth(ctx.config.auth)}` : ' (the project token in the records)';
  return `${outcome.message}; check the credentials${credential}`;
}

/**
 * A batch that passed the pace before any 429 (unlimited, or `--rate`) and was still waiting for
 * a connection when the first one came is paced at the new pace before it goes. Without this, the
 * batches queued for connections all went at once into Mixpanel's empty bucket: 22 answered 429
 * within 0.43 s on a 100k run at 15,000 events/s, each then backing off 3–7 s. (Doing the same
 * after every later 429 cost the simulated 5,000/s run 96 → 90 % of the allowance: later
 * measurements of the limit came out lower.)
 */
async function exchangeAtPace(ctx: SendContext, batch: OutgoingBatch, send: Attempt, paced: number): Promise<Classification | null> {
  if (paced === 0 && ctx.pace.slowdowns > 0) await ctx.state.unlessStopped(ctx.pace.take(batch.records.length));
  return ctx.state.halted ? null : exchangeAndJournal(ctx, batch, send);
}

/**
 * The exchange, then before the connection takes another request: a fatal outcome stops the run,
 * and an acknowledged batch's `$add`/`$append` records are journalled, on disk, so a crash can
 * re-apply at most what the requests on the connections held (journalled before the lines
 * settle, which drops them again).
 */
async function exchangeAndJournal(ctx: SendContext, batch: OutgoingBatch, send: Attempt): Promise<Classification> {
  // Sent again after an attempt that may have been applied: its `$add`/`$append` may apply twice.
  if (send.resend) ctx.stats.nonIdempotentRetried += nonIdempotentIn(batch);
  const outcome = await exchange(ctx, batch.endpoint, send.rawBytes, send.body, send.useGzip, batch.records.length);
  // Decided before the connection is free: a request queued behind this one must not start, and
  // after a 429 it goes at the lowered pace.
  const stop = stopReason(ctx, batch, outcome, send.attempt);
  if (stop !== null) ctx.state.fail(stop);
  if (outcome.kind === 'retry' && outcome.rateLimited) ctx.pace.slowDown();
  if (outcome.kind === 'delivered' && ctx.journal !== null && journalAcknowledged(ctx.journal, batch)) await ctx.journal.written();
  return outcome;
}

/** One HTTP exchange, classified; a network failure or timeout is a retry. */
async function exchange(ctx: SendContext, endpoint: Endpoint, rawBytes: number, body: Buffer, useGzip: boolean, size: number): Promise<Classification> {
  ctx.stats.requests += 1;
  ctx.stats.bytesRaw += rawBytes;
  ctx.stats.bytesWire += body.length;
  try {
    return classifyReply(endpoint, await ctx.client.post(endpoint, body, useGzip), size, ctx.clock.now());
  } catch (error) {
    return { kind: 'retry', message: `network error on ${endpoint}: ${(error as Error).message}`, retryAfterMs: null, rateLimited: false, ambiguous: true };
  }
}

/** Settle record k of a batch (its endpoint's counts are the caller's). */
function settleRecord(ctx: SendContext, batch: OutgoingBatch, k: number, rejection: Rejection | null): void {
  const source = batch.sources[k]!;
  const record = batch.records[k]!;
  if (ctx.gate !== null) {
    const newId = source.block.aliasFor(record);
    if (newId !== null) ctx.gate.acknowledged(newId);
  }
  source.tally.done(record, rejection);
}

/** Settle every record of a batch the same way. */
function settleAll(ctx: SendContext, batch: OutgoingBatch, rejection: Rejection | null): void {
  const count = batch.records.length;
  if (rejection === null) ctx.counts.delivered(batch.endpoint, count);
  else ctx.counts.recordRejected(batch.endpoint, count);
  for (let k = 0; k < count; k += 1) settleRecord(ctx, batch, k, rejection);
}

/**
 * The run stopped before the batch's next request: after a fatal error its lines are settled as
 * not delivered; after an interrupt they are left unsettled. `mayHaveApplied`: its last request
 * got no definitive answer.
 */
function notSent(ctx: SendContext, batch: OutgoingBatch, mayHaveApplied: boolean): void {
  if (ctx.state.fatal !== null) abandon(ctx, batch, mayHaveApplied);
  else if (mayHaveApplied) ctx.stats.nonIdempotentInFlight += nonIdempotentIn(batch);
}

/**
 * After a fatal error, records not delivered are settled as rejected ("unsent") so every line
 * read is accounted for; the checkpoint does not record them, so a re-run sends them.
 * `mayHaveApplied`: the batch's last request got no definitive answer, so its `$add`/`$append`
 * may or may not have been applied (counted in flight).
 */
export function abandon(ctx: SendContext, batch: OutgoingBatch, mayHaveApplied: boolean): void {
  if (mayHaveApplied) ctx.stats.nonIdempotentInFlight += nonIdempotentIn(batch);
  settleAll(ctx, batch, { reason: ctx.state.stoppedReason(), unsent: true });
}

/** The batch's `$add`/`$append` records. */
function nonIdempotentIn(batch: OutgoingBatch): number {
  let count = 0;
  for (let k = 0; k < batch.records.length; k += 1) if (!batch.sources[k]!.block.idempotent(batch.records[k]!)) count += 1;
  return count;
}

function byMixpanel(message: string): Rejection {
  return { reason: `Mixpanel rejected the record: ${message}`, unsent: false };
}
