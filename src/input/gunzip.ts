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
export async function* gunzipMembers(chunks: AsyncIterator<Buffer>, borrowed: boolean): AsyncGenerator<Buffer> {
  const source = new ByteSource(chunks, borrowed);
  for (let member = 1; await memberStarts(source, member); member += 1) {
    let crc = 0;
    let size = 0;
    for await (const piece of inflateMember(source, member)) {
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

/** One member's deflate data, decoded; the source is left just past it (at the trailer). */
async function* inflateMember(source: ByteSource, member: number): AsyncGenerator<Buffer> {
  const inflater = createInflateRaw({ chunkSize: OUT_CHUNK });
  const feeding = feed(inflater, source);
  feeding.catch((error: Error) => inflater.destroy(error));
  let decoded = false;
  try {
    yield* inflater as AsyncIterable<Buffer>;
    decoded = true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw error;
    const what = (error as Error).message;
    throw new GzipFault(what === 'unexpected end of file' ? `gzip stream ended early (${what})` : `gzip member ${member} is damaged (${what})`, false);
  } finally {
    if (!decoded) inflater.destroy();
  }
  await feeding;
  inflater.destroy();
}

/**
 * Writes the source to the inflater one chunk at a time, each once the last was consumed. Where
 * the deflate data ends inside a chunk, the inflater stops taking bytes: the rest is put back.
 */
async function feed(inflater: InflateRaw, source: ByteSource): Promise<void> {
  let fed = 0;
  for (let chunk = await source.next(); chunk !== null; chunk = await source.next()) {
    if (inflater.destroyed) return;
    await consumed(inflater, chunk);
    if (inflater.destroyed) return;
    fed += chunk.length;
    const unused = fed - inflater.bytesWritten;
    if (unused > 0) {
      source.putBack(chunk.subarray(chunk.length - unused));
      return;
    }
  }
  inflater.end();
}

/** Resolves once the inflater has taken in all of `chunk` (or was destroyed). */
function consumed(inflater: InflateRaw, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      inflater.off('close', done);
      resolve();
    };
    inflater.on('close', done);
    inflater.write(chunk, done);
  });
}

/** The compressed bytes, read on demand; bytes read past a member's deflate data are put back. */
class ByteSource {
  private readonly pending: Buffer[] = [];

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly borrowed: boolean,
  ) {}

  async next(): Promise<Buffer | null> {
    const held = this.pending.pop();
    if (held !== undefined) return held;
    const next = await this.chunks.next();
    return next.done === true ? null : next.value;
  }

  /** `bytes` come next again (copied: a borrowed chunk is overwritten by the next read). */
  putBack(bytes: Buffer): void {
    if (bytes.length > 0) this.pending.push(this.borrowed ? Buffer.from(bytes) : bytes);
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
    return (await this.take(count)).length === count;
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
