import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { ByteSource } from './byte-source.js';
import { inflate, InflateFailed, WHOLE } from './inflate.js';

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
 * `borrowed`: each chunk of `chunks` is only valid until the next one is read. `reread`: the same
 * input again, for a member whose deflate data is damaged (see inflateMember).
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
 * the output of a call that fails on damaged data (up to a whole output chunk); an input that can
 * be read again is decoded again up to the fault to get that output back.
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
    const truncated = error.message === 'unexpected end of file';
    if (reread !== null && !truncated) yield* recover(reread, start, kept, error);
    throw new GzipFault(truncated ? `gzip stream ended early (${error.message})` : `gzip member ${member} is damaged (${error.message})`, false);
  }
}

/** A second decoding finds the failing 4 KiB, a third the failing byte. */
const RECOVERY_SLICES = [4096, 1];

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
    let produced = 0;
    try {
      if (!(await source.skip(start))) return;
      for await (const piece of inflate(source, { fineFrom: failure.consumed, fineSize, limit: failure.writeEnd })) {
        produced += piece.length;
        const fresh = piece.subarray(Math.max(0, piece.length - (produced - yielded)));
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
