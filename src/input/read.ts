import { Buffer } from 'node:buffer';
import type { Readable } from 'node:stream';
import { fileChunks, InputGrew, regularFileChunks } from './file-chunks.js';
import { GzipFault, gunzipMembers, type Reread } from './gunzip.js';
import { InputReadError } from '../errors.js';
import { splitBlock } from './split-lines.js';
import { SparseBlocks, type WantedOffsets } from './sparse-blocks.js';
import type { FileSummary, InputLine, OpenInput, ReadItem } from './types.js';

/** Lines longer than this are rejected (and skipped without being held in memory). */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

/** Blocks are cut at a line end once this many bytes are held (one read of a file is 1 MiB). */
const BLOCK_BYTES = 256 * 1024;

export interface ReadOptions {
  readonly stdin?: Readable;
  /** Inputs read from a copy instead (stdin and pipes spooled for a two-pass delivery: input/spool.ts). */
  readonly spooled?: ReadonlyMap<string, string>;
  /** Lines of a file to leave out (already settled in an earlier run); they are not emitted. */
  readonly skip?: (file: string, line: number) => boolean;
  readonly onFile?: (summary: FileSummary) => void;
  /** Blank lines are not messages, but a resume journal still needs to know they were passed. */
  readonly onBlank?: (file: string, line: number) => void;
  /** Aborted on an interrupt: stdin is let go even while it waits for input (a pipe may stay open and idle). */
  readonly signal?: AbortSignal;
  /** Told of every chunk read from an input, as stored (compressed bytes for gzip), for progress. */
  readonly onRead?: (file: string, bytes: number) => void;
  /** Inputs that are not local files (`s3://` objects): their bytes, or null for a local path. */
  readonly open?: OpenInput;
  /** Read no more than this of a file (what the alias pass read); one that has more grew meanwhile. */
  readonly lengths?: ReadonlyMap<string, number>;
  /** Sparse blocks (input/sparse-blocks.ts): only the lines holding one of these offsets keep their bytes. */
  readonly wanted?: WantedOffsets;
}

const NEWLINE = 0x0a;

/**
 * What an unterminated last line is: a line (the file's end), rejected (a truncated stream), or
 * left unread, unsettled (a file read to a set length: its end comes later).
 */
type LastLine = 'line' | 'reject' | 'leave';

/**
 * Stream NDJSON lines from files (plain or gzip, detected by magic bytes) or stdin ("-"), in
 * batches (one per block). Memory stays bounded by the block size and the longest line.
 */
export async function* readLines(files: readonly string[], options: ReadOptions = {}): AsyncGenerator<InputLine[]> {
  for await (const item of readBlocks(files, options)) {
    if (item.kind === 'bad') {
      yield [item];
      continue;
    }
    const lines: InputLine[] = [];
    splitBlock(item, (line) => lines.push(line), (line) => options.onBlank?.(item.file, line));
    if (lines.length > 0) yield lines;
  }
}

/** Stream the inputs as blocks of whole lines, numbered, with the lines to skip marked. */
export async function* readBlocks(files: readonly string[], options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  for (const file of files) {
    const opened = options.open?.(file, options.signal) ?? null;
    const path = options.spooled?.get(file) ?? (file === '-' ? undefined : file);
    if (opened !== null) {
      yield* readOne(file, counted(file, opened.chunks, options.onRead), opened.borrowed, null, options);
    } else if (path === undefined) {
      // The CLI passes its stdin in (only cli/ touches the process).
      if (options.stdin === undefined) throw new Error('"-" (stdin) given to a reader without a stdin stream');
      yield* readOne(file, counted(file, chunksUntil(options.stdin, options.signal), options.onRead), false, null, options);
    } else {
      const length = options.lengths?.get(file);
      yield* readOne(file, counted(file, fileChunks(path, length), options.onRead), true, () => regularFileChunks(path, length), options);
    }
  }
}

/**
 * The stream's chunks until `signal` aborts; then the stream is destroyed, which ends a wait for
 * input that might never come, and the chunks end there.
 */
async function* chunksUntil(stream: Readable, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const stop = (): void => void stream.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (signal?.aborted !== true) for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if (signal?.aborted !== true) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

async function* counted(file: string, source: AsyncIterable<Buffer>, onRead: ReadOptions['onRead']): AsyncGenerator<Buffer> {
  if (onRead === undefined) return yield* source;
  onRead(file, 0);
  for await (const chunk of source) {
    onRead(file, chunk.length);
    yield chunk;
  }
}

/**
 * `borrowed`: each chunk of `source` is only valid until the next one is read. `reread`: the input
 * again from its start (a local file), for a damaged gzip member.
 */
async function* readOne(file: string, source: AsyncIterable<Buffer>, borrowed: boolean, reread: Reread | null, options: ReadOptions): AsyncGenerator<ReadItem> {
  const cutter = new BlockCutter(file, options.skip, options.wanted);
  const decoded = decompress(source, borrowed, reread);
  let fault: InputFault | null = null;
  try {
    for await (const chunk of decoded.chunks) yield* cutter.push(chunk, borrowed && !decoded.gzip);
  } catch (error) {
    fault = inputFault(error, decoded.gzip);
  }
  yield* cutter.end(fault?.tail ?? 'line');
  const kept = fault === null || fault.tail === 'line' ? `all ${cutter.lineNumber} lines` : `the ${cutter.completeLines} complete lines`;
  const truncated = fault === null ? null : `${fault.reason}; kept ${kept} before it`;
  options.onFile?.({ file, lines: cutter.lineNumber, gzip: decoded.gzip, truncated });
}

/** Why an input ended early, and what its unterminated last line is. */
interface InputFault {
  readonly reason: string;
  readonly tail: LastLine;
}

/** A read that failed part-way: the lines before are kept. Other errors (a plain file's I/O) are thrown. */
function inputFault(error: unknown, gzip: boolean): InputFault {
  if (error instanceof InputGrew) return { reason: `grew after the alias pass read its ${error.length} bytes: the rest is left for the next run (alias calls in it could not be ordered)`, tail: 'leave' };
  // Trailing garbage: the data before it passed its checks, so its last line stands as in a whole file.
  if (error instanceof GzipFault) return { reason: error.message, tail: error.intact ? 'line' : 'reject' };
  if (error instanceof InputReadError) return { reason: error.message, tail: 'reject' };
  if (!gzip) throw error;
  return { reason: `gzip stream ended early (${(error as Error).message})`, tail: 'reject' };
}

/** Peek at the first chunk: gzip magic bytes (1f 8b) switch on decompression. */
function decompress(source: AsyncIterable<Buffer>, borrowed: boolean, reread: Reread | null): { chunks: AsyncGenerator<Buffer>; gzip: boolean } {
  const state = { gzip: false };
  // Stopped early (an interrupt, `| head`), the source is returned too, so the file it reads is
  // closed now rather than by the garbage collector (which warns about it).
  async function* chunks(): AsyncGenerator<Buffer> {
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      let head: Buffer = Buffer.alloc(0);
      while (head.length < 2) {
        const next = await iterator.next();
        if (next.done) break;
        head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
      }
      if (head.length === 0) return;
      async function* raw(): AsyncGenerator<Buffer> {
        yield head;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      }
      if (head[0] !== 0x1f || head[1] !== 0x8b) {
        yield* raw();
        return;
      }
      state.gzip = true;
      yield* gunzipMembers(raw(), borrowed, reread);
    } finally {
      await iterator.return?.();
    }
  }
  return {
    chunks: chunks(),
    get gzip() {
      return state.gzip;
    },
  };
}

/**
 * Cuts decoded bytes into blocks at line ends, numbering lines as it goes. Only counts newlines;
 * splitting and decoding the lines is `splitBlock`'s job. A line over the limit is dropped as its
 * bytes arrive and reported as a bad line.
 */
class BlockCutter {
  lineNumber = 0;
  completeLines = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Offset in the held bytes just past the last newline, 0 when none is held. */
  private cut = 0;
  /** Bytes of the over-long line being dropped, or null. */
  private overlong: number | null = null;
  private readonly sparse: SparseBlocks | null;

  constructor(
    private readonly file: string,
    private readonly skip?: (file: string, line: number) => boolean,
    wanted?: WantedOffsets,
  ) {
    this.sparse = wanted === undefined ? null : new SparseBlocks(file, wanted, skip);
  }

  /** `borrowed`: the chunk's memory is reused after this call, so what is held of it is copied. */
  *push(chunk: Buffer, borrowed: boolean): Generator<ReadItem> {
    if (this.overlong !== null) {
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) {
        this.overlong += chunk.length;
        return;
      }
      yield* this.overlongLine(this.overlong + end, true);
      chunk = chunk.subarray(end + 1);
    }
    if (chunk.length === 0) return;
    const last = chunk.lastIndexOf(NEWLINE);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (last !== -1) this.cut = this.heldBytes - chunk.length + last + 1;
    if (this.heldBytes - this.cut > MAX_LINE_BYTES) {
      // The line being held is already too long: emit what precedes it, drop the rest as it comes.
      const partial = this.heldBytes - this.cut;
      yield* this.emit(this.take(this.cut), 0);
      this.held = [];
      this.heldBytes = 0;
      this.overlong = partial;
      return;
    }
    if (this.cut >= BLOCK_BYTES) yield* this.emit(this.take(this.cut), 0);
    const newest = this.held.length - 1;
    if (borrowed && newest >= 0 && this.held[newest]!.buffer === chunk.buffer) this.held[newest] = Buffer.from(this.held[newest]!);
  }

  /** The end of the input: the held lines, and the unterminated last one (see `LastLine`). */
  *end(last: LastLine): Generator<ReadItem> {
    if (this.overlong !== null) {
      yield* this.overlongLine(this.overlong, false);
    } else if (last === 'line') {
      // One buffer of its own (Buffer.concat may give a view of the shared pool: not transferable, nor reusable).
      const unterminated = this.heldBytes > this.cut ? 1 : 0;
      yield* this.emit(this.take(this.heldBytes), unterminated);
    } else {
      // Emitted before the rest is taken: in sparse mode both are cut into the same buffer.
      yield* this.emit(this.take(this.cut), 0);
      const rest = this.take(this.heldBytes);
      if (rest.length > 0 && last === 'reject') yield* this.badLine('truncated gzip: the last line is incomplete', rest.toString('utf8'));
    }
    const sparse = this.sparse?.take() ?? null;
    if (sparse !== null) yield sparse;
  }

  /** The first `bytes` held bytes, in a buffer of their own (so it can be transferred), or in sparse mode the one cut buffer. */
  private take(bytes: number): Buffer {
    const out = this.sparse?.cutBuffer(bytes) ?? Buffer.allocUnsafeSlow(bytes);
    let filled = 0;
    while (filled < bytes) {
      const head = this.held[0]!;
      const used = Math.min(head.length, bytes - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.held.shift();
      else this.held[0] = head.subarray(used);
    }
    this.heldBytes -= bytes;
    this.cut = Math.max(0, this.cut - bytes);
    return out;
  }

  /** A block of whole lines (plus `unterminated` lines without a final newline). */
  private *emit(bytes: Buffer, unterminated: 0 | 1): Generator<ReadItem> {
    if (bytes.length === 0) return;
    const firstLine = this.lineNumber + 1;
    if (this.sparse !== null) {
      const lines = this.sparse.add(bytes, firstLine);
      this.lineNumber += lines;
      this.completeLines += lines - unterminated;
      if (this.sparse.full) yield this.sparse.take()!;
      return;
    }
    let lines = unterminated;
    for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) lines += 1;
    this.lineNumber += lines;
    this.completeLines += lines - unterminated;
    const skip: number[] = [];
    if (this.skip !== undefined) for (let line = firstLine; line <= this.lineNumber; line += 1) if (this.skip(this.file, line)) skip.push(line);
    if (skip.length === lines) return;
    yield { kind: 'block', file: this.file, firstLine, skip, bytes };
  }

  private *overlongLine(size: number, complete: boolean): Generator<ReadItem> {
    this.overlong = null;
    if (complete) this.completeLines += 1;
    yield* this.badLine(`line is ${size} bytes: longer than the ${MAX_LINE_BYTES}-byte limit`, '');
  }

  /** The next line, rejected by the reader (sparse blocks only count it: it is not wanted). */
  private *badLine(reason: string, text: string): Generator<ReadItem> {
    this.lineNumber += 1;
    this.sparse?.passLine();
    if (this.sparse !== null || this.skip?.(this.file, this.lineNumber)) return;
    yield { kind: 'bad', file: this.file, line: this.lineNumber, reason, text };
  }
}
