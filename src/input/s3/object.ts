import type { Readable } from 'node:stream';
import type { S3Access } from './access.js';
import { InputReadError } from '../../errors.js';
import { describeS3Failure, isRetryable } from './errors.js';
import type { S3Object } from './list.js';

/** How a broken or stalled object read is resumed (README "Nightly backfill from S3"). */
export interface ResumePolicy {
  /** Failed attempts in a row, without a new byte in between, before the object is given up. */
  readonly retries: number;
  /** No byte for this long while the reader waits for one: the read is dropped and resumed. */
  readonly stallMs: number;
  /** The first wait before a resume; doubled per failure in a row, up to `MAX_BACKOFF_MS`. */
  readonly backoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const RESUME_DEFAULTS = { retries: 5, stallMs: 30_000, backoffMs: 500 } as const;
const MAX_BACKOFF_MS = 10_000;

export interface ReadEvents {
  /** Bytes of the object as received (before gunzip), counting a resumed read's bytes once. */
  readonly onBytes?: (bytes: number) => void;
  /** A read broke at byte `at` and is resumed there with a ranged GetObject. */
  readonly onResume?: (object: S3Object, at: number, reason: string) => void;
}

class StalledRead extends Error {
  constructor(stallMs: number) {
    super(`no data for ${stallMs} ms (stalled)`);
  }
}

/**
 * An object's bytes, streamed from GetObject. A read that breaks (connection reset, early end, a
 * 5xx) or stalls is resumed from the last byte received with a ranged GetObject of the same ETag,
 * up to `policy.retries` failures in a row with backoff; then, or on an error retrying cannot fix
 * (access denied, KMS), it ends with an `InputReadError` naming the URL. An abort ends the bytes.
 */
export async function* objectChunks(access: S3Access, object: S3Object, policy: ResumePolicy, events: ReadEvents = {}, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const aborted = (): boolean => signal?.aborted === true;
  let received = 0;
  let failures = 0;
  for (;;) {
    if (aborted()) return;
    const before = received;
    let reason: string;
    let body: Readable | null = null;
    let detach = (): void => undefined;
    try {
      const reply = await withDeadline(policy.stallMs, signal, (deadline) => access.getObject(object.bucket, object.key, received, object.etag === '' ? null : object.etag, deadline));
      body = reply.stream;
      if (received > 0 && reply.contentRange?.startsWith(`bytes ${received}-`) !== true) {
        // A store that ignores Range sends the object from its start again: resuming would repeat lines.
        throw new InputReadError(`${object.url}: a read resumed at byte ${received} was answered without that range (${reply.contentRange ?? 'no Content-Range'}); cannot resume`);
      }
      // An interrupt lets go of a read that waits for bytes at once, not after the stall limit.
      const stream = body;
      const letGo = (): void => void stream.destroy();
      signal?.addEventListener('abort', letGo, { once: true });
      detach = () => signal?.removeEventListener('abort', letGo);
      const expected = reply.contentLength === null ? object.size : received + reply.contentLength;
      for await (const chunk of untilStall(body, policy.stallMs)) {
        received += chunk.length;
        events.onBytes?.(chunk.length);
        yield chunk;
      }
      if (received >= expected) return;
      reason = `the response ended after ${received} of ${expected} bytes`;
    } catch (error) {
      if (aborted()) return;
      if (error instanceof InputReadError) throw error;
      if (!isRetryable(error)) throw new InputReadError(describeS3Failure(error, object.url));
      reason = (error as Error).message;
    } finally {
      detach();
      body?.destroy();
    }
    failures = received > before ? 1 : failures + 1;
    if (failures > policy.retries) throw new InputReadError(`${object.url}: read failed ${failures} times in a row at byte ${received} of ${object.size} (${reason})`);
    events.onResume?.(object, received, reason);
    await policy.sleep(Math.min(MAX_BACKOFF_MS, policy.backoffMs * 2 ** (failures - 1)));
  }
}

/** The stream's chunks; waiting longer than `stallMs` for one destroys the stream with `StalledRead`. */
async function* untilStall(stream: Readable, stallMs: number): AsyncGenerator<Buffer> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    // Only the wait for the next chunk is timed: the time the reader spends on a chunk is not a stall.
    const timer = setTimeout(() => stream.destroy(new StalledRead(stallMs)), stallMs);
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } finally {
      clearTimeout(timer);
    }
    if (next.done === true) return;
    yield next.value;
  }
}

/** Run `call` with a signal that aborts after `ms` (no answer: a stall) or when `outer` aborts. */
async function withDeadline<T>(ms: number, outer: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new StalledRead(ms)), ms);
  const stop = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', stop, { once: true });
  try {
    return await call(controller.signal);
  } catch (error) {
    if (controller.signal.aborted && outer?.aborted !== true) throw new StalledRead(ms);
    throw error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', stop);
  }
}
