import { Buffer } from 'node:buffer';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import type { ByteSource } from './byte-source.js';

/** Decoded bytes come out in pieces of at most this size. */
const OUT_CHUNK = 1 << 20;

/** Compressed bytes before `fineFrom` go in as read; from there on, `fineSize` at a time; none past `limit`. */
interface Slicing {
  readonly fineFrom: number;
  readonly fineSize: number;
  readonly limit: number;
}
export const WHOLE: Slicing = { fineFrom: Number.POSITIVE_INFINITY, fineSize: Number.POSITIVE_INFINITY, limit: Number.POSITIVE_INFINITY };

/** zlib's error, with the compressed bytes the calls before it took and the end of the write that failed. */
export class InflateFailed extends Error {
  constructor(
    message: string,
    readonly consumed: number,
    readonly writeEnd: number,
  ) {
    super(message);
  }
}

/** Raw deflate data decoded; the source is left just past its end. */
export async function* inflate(source: ByteSource, slicing: Slicing): AsyncGenerator<Buffer> {
  const inflater = createInflateRaw({ chunkSize: OUT_CHUNK });
  const decoded = new Decoded(inflater);
  const written = { end: 0 };
  const feeding = feed(inflater, decoded, source, slicing, written);
  feeding.catch((error: Error) => inflater.destroy(error));
  let decodedAll = false;
  try {
    for (let piece = await decoded.next(); piece !== null; piece = await decoded.next()) yield piece;
    decodedAll = true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw error;
    throw new InflateFailed((error as Error).message, inflater.bytesWritten, written.end);
  } finally {
    if (!decodedAll) inflater.destroy();
  }
  await feeding;
  inflater.destroy();
}

/**
 * Writes the source to the inflater a slice at a time, each once the last was consumed. Where the
 * deflate data ends inside a slice, the inflater stops taking bytes: the rest is put back.
 */
async function feed(inflater: InflateRaw, decoded: Decoded, source: ByteSource, slicing: Slicing, written: { end: number }): Promise<void> {
  for (let chunk = await source.next(); chunk !== null; chunk = await source.next()) {
    for (let at = 0; at < chunk.length; ) {
      const fed = written.end;
      if (fed >= slicing.limit) {
        inflater.destroy();
        return;
      }
      const slice = chunk.subarray(at, at + Math.min(fed < slicing.fineFrom ? slicing.fineFrom - fed : slicing.fineSize, slicing.limit - fed));
      written.end += slice.length;
      at += slice.length;
      await decoded.flowing();
      await consumed(inflater, slice);
      if (inflater.destroyed) return;
      const unused = written.end - inflater.bytesWritten;
      if (unused > 0) {
        source.putBack(chunk.subarray(at - unused));
        return;
      }
    }
  }
  inflater.end();
}

/** Resolves once the inflater has taken in all of `bytes` (or was destroyed). */
function consumed(inflater: InflateRaw, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      inflater.off('close', done);
      resolve();
    };
    inflater.on('close', done);
    inflater.write(bytes, done);
  });
}

/**
 * The inflater's output, taken as it comes out: a stream drops what it holds when it fails. The
 * inflater pauses while a whole output chunk waits here, and is written to only while it flows,
 * so that no output is ever held in the stream when a write fails.
 */
class Decoded {
  private readonly pieces: Buffer[] = [];
  private held = 0;
  private failure: Error | null = null;
  private stopped = false;
  private waiting: Array<() => void> = [];

  constructor(private readonly inflater: InflateRaw) {
    inflater.on('data', (piece: Buffer) => {
      this.pieces.push(piece);
      this.held += piece.length;
      if (this.held >= OUT_CHUNK) inflater.pause();
      this.wakeAll();
    });
    inflater.on('error', (error: Error) => {
      this.failure ??= error;
      this.wakeAll();
    });
    const stop = (): void => {
      this.stopped = true;
      this.wakeAll();
    };
    inflater.on('end', stop);
    inflater.on('close', stop);
  }

  /** The next piece; null at the end. The inflater's error comes after every piece it gave before it. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const piece = this.pieces.shift();
      if (piece !== undefined) {
        this.held -= piece.length;
        if (this.held < OUT_CHUNK && this.inflater.isPaused()) {
          this.inflater.resume();
          this.wakeAll();
        }
        return piece;
      }
      if (this.failure !== null) throw this.failure;
      if (this.stopped) return null;
      await this.change();
    }
  }

  /** Resolves once the inflater is not paused (or has stopped). */
  async flowing(): Promise<void> {
    while (this.inflater.isPaused() && !this.stopped && this.failure === null) await this.change();
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wakeAll(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
