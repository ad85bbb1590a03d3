import { Buffer } from 'node:buffer';
import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/** Decoded bytes come out in pieces of at most this size. */
const OUT_CHUNK = 1 << 20;

const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_RESERVED = 0xe0;

/**
 * A gzip input that does not end as gzip should. Every byte decoded before the fault was yielded
 * first. `intact`: every member before the fault passed its CRC-32 and length check (trailing
 * garbage), so the decoded data is whole.
 */
export class GzipFault extends Error {
  constructor(
    message: string,
    readonly intact: boolean,
  ) {
    super(message);
  }
}

/**
 * Decode gzip as `zcat` does: member after member (concatenated gzip files), each member's data
 * yielded before its trailer is checked, zero padding after the last member ignored. Ends with a
 * GzipFault on trailing garbage, a bad CRC-32 or length, a truncation or damaged data; nothing
 * decoded before that point is held back. (zlib's own gunzip drops the last piece it decoded when
 * it then fails, up to a whole output chunk of complete lines.)
 * `borrowed`: each chunk of `chunks` is only valid until the next one is read.
 */
export async function* gunzipMembers(chunks: AsyncIterator<Buffer>, borrowed: boolean, reread: Reread | null = null): AsyncGenerator<Buffer> {
  const source = new ByteSource(chunks, borrowed);
  for (let member = 1; await memberStarts(source, member); member += 1) {
    let crc = 0;
    let size = 0;
    for await (const piece of inflateMember(source, member, reread)) {
      crc = crc32(piece, crc);
      size = (size + piece.length) >>> 0;
      yield piece;
    }
    const trailer = await source.take(8);
    if (trailer.length < 8) throw new GzipFault(`gzip stream ended early (unexpected end of file in the trailer of member ${member})`, false);
    if (trailer.readUInt32LE(0) !== crc) throw new GzipFault(`gzip member ${member} is damaged (incorrect data check: its CRC-32 does not match its data)`, false);
    if (trailer.readUInt32LE(4) !== size) throw new GzipFault(`gzip member ${member} is damaged (incorrect length check: its trailer says ${trailer.readUInt32LE(4)} bytes, it holds ${size})`, false);
  }
}

/** Reads a member's header. False at the end of the input (or of its zero padding). */
async function memberStarts(source: ByteSource, member: number): Promise<boolean> {
  const fixed = await source.take(10);
  if (fixed.length === 0) return false;
  if (member > 1 && fixed[0] === 0) {
    if (await zerosToTheEnd(source, fixed)) return false;
  } else if (fixed[0] === 0x1f && (fixed.length === 1 || fixed[1] === 0x8b)) {
    if (fixed.length < 10) throw new GzipFault(`gzip stream ended early (unexpected end of file in the header of member ${member})`, false);
    if (fixed[2] !== 8) throw new GzipFault(`gzip member ${member} is damaged (unknown compression method ${fixed[2]})`, false);
    const flags = fixed[3]!;
    if ((flags & FLAG_RESERVED) !== 0) throw new GzipFault(`gzip member ${member} is damaged (reserved header flags set)`, false);
    await skipOptionalFields(source, flags, member);
    return true;
  }
  throw new GzipFault(`gzip data is followed by trailing garbage (the bytes after member ${member - 1} are not a gzip header)`, true);
}

/** True when `first` and every byte after it are zeros (padding); false at the first other byte. */
async function zerosToTheEnd(source: ByteSource, first: Buffer): Promise<boolean> {
  for (let chunk: Buffer | null = first; chunk !== null; chunk = await source.next()) if (chunk.some((byte) => byte !== 0)) return false;
  return true;
}

async function skipOptionalFields(source: ByteSource, flags: number, member: number): Promise<void> {
  const ended = (): GzipFault => new GzipFault(`gzip stream ended early (unexpected end of file in the header of member ${member})`, false);
  if ((flags & FLAG_EXTRA) !== 0) {
    const length = await source.take(2);
    if (length.length < 2 || (await source.skip(length.readUInt16LE(0))) === false) throw ended();
  }
  if ((flags & FLAG_NAME) !== 0 && !(await source.skipPastZero())) throw ended();
  if ((flags & FLAG_COMMENT) !== 0 && !(await source.skipPastZero())) throw ended();
  if ((flags & FLAG_HCRC) !== 0 && !(await source.skip(2))) throw ended();
}

/** The same input again from its first byte (a local file), to decode a damaged member a second time. */
export type Reread = () => AsyncIterator<Buffer>;

/**
 * One member's deflate data, decoded; the source is left just past it (at the trailer). zlib loses
 * the output of a call that fails (up to OUT_CHUNK); an input that can be read again is decoded
 * again up to the fault to get that output back (`recover`).
 */
async function* inflateMember(source: ByteSource, member: number, reread: Reread | null): AsyncGenerator<Buffer> {
  const start = source.position;
  let kept = 0;
  try {
    for await (const piece of inflate(source, WHOLE)) {
      kept += piece.length;
      yield piece;
    }
  } catch (error) {
    if (!(error instanceof InflateFailed)) throw error;
    if (reread !== null) yield* recover(reread, start, kept, error);
    const what = error.message;
    throw new GzipFault(what === 'unexpected end of file' ? `gzip stream ended early (${what})` : `gzip member ${member} is damaged (${what})`, false);
  }
}

/**
 * Decodes the member again from `start` (a compressed offset), in finer and finer slices from
 * where the failing call began, and yields what comes after the `kept` bytes already yielded. In
 * one-byte slices, the failing call holds only what its last byte decodes: the output is then
 * what zlib decodes of the longest prefix that is not damaged. Best effort: when the input cannot
 * be read again, or decodes past the fault (it changed), what was recovered stands.
 */
async function* recover(reread: Reread, start: number, kept: number, failure: InflateFailed): AsyncGenerator<Buffer> {
  let yielded = kept;
  for (const fineSize of RECOVERY_SLICES) {
    const source = new ByteSource(reread(), true);
    let decoded = 0;
    try {
      if (!(await source.skip(start))) return;
      for await (const piece of inflate(source, { fineFrom: failure.consumed, fineSize, limit: failure.writeEnd })) {
        decoded += piece.length;
        const fresh = piece.subarray(Math.max(0, piece.length - (decoded - yielded)));
        yielded += fresh.length;
        if (fresh.length > 0) yield fresh;
      }
      return;
    } catch (error) {
      if (!(error instanceof InflateFailed)) return;
      failure = error;
    } finally {
      await source.close();
    }
  }
}

/** Compressed bytes before `fineFrom` go in as read; from there on, `fineSize` at a time; none past `limit`. */
interface Slicing {
  readonly fineFrom: number;
  readonly fineSize: number;
  readonly limit: number;
}
const WHOLE: Slicing = { fineFrom: Number.POSITIVE_INFINITY, fineSize: Number.POSITIVE_INFINITY, limit: Number.POSITIVE_INFINITY };
/** A second decoding finds the failing 4 KiB, a third the failing byte. */
const RECOVERY_SLICES = [4096, 1];

/** zlib's error, with the compressed bytes the calls before it took and the end of the write that failed. */
class InflateFailed extends Error {
  constructor(
    readonly zlibError: Error,
    readonly consumed: number,
    readonly writeEnd: number,
  ) {
    super(zlibError.message);
  }
}

/** Raw deflate data decoded; the source is left just past its end. */
async function* inflate(source: ByteSource, slicing: Slicing): AsyncGenerator<Buffer> {
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
    throw new InflateFailed(error as Error, inflater.bytesWritten, written.end);
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

/** The compressed bytes, read on demand; bytes read past a member's deflate data are put back. */
class ByteSource {
  private readonly pending: Buffer[] = [];
  /** Compressed bytes handed out so far (and not put back). */
  position = 0;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly borrowed: boolean,
  ) {}

  async next(): Promise<Buffer | null> {
    const held = this.pending.pop() ?? (await this.read());
    this.position += held?.length ?? 0;
    return held;
  }

  /** `bytes` come next again (copied: a borrowed chunk is overwritten by the next read). */
  putBack(bytes: Buffer): void {
    this.position -= bytes.length;
    if (bytes.length > 0) this.pending.push(this.borrowed ? Buffer.from(bytes) : bytes);
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  private async read(): Promise<Buffer | null> {
    const next = await this.chunks.next();
    return next.done === true ? null : next.value;
  }

  /** The next `count` bytes, fewer at the end of the input. */
  async take(count: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < count) {
      const chunk = await this.next();
      if (chunk === null) break;
      const used = chunk.subarray(0, count - have);
      parts.push(Buffer.from(used));
      have += used.length;
      this.putBack(chunk.subarray(used.length));
    }
    return Buffer.concat(parts, have);
  }

  /** False when the input ends first. */
  async skip(count: number): Promise<boolean> {
    for (let left = count; left > 0; ) {
      const chunk = await this.next();
      if (chunk === null) return false;
      const used = Math.min(left, chunk.length);
      this.putBack(chunk.subarray(used));
      left -= used;
    }
    return true;
  }

  /** Past the next zero byte (a header's name or comment); false when the input ends first. */
  async skipPastZero(): Promise<boolean> {
    for (let chunk = await this.next(); chunk !== null; chunk = await this.next()) {
      const zero = chunk.indexOf(0);
      if (zero !== -1) {
        this.putBack(chunk.subarray(zero + 1));
        return true;
      }
    }
    return false;
  }
}
