import { Buffer, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Lines longer than this are rejected (and skipped without being held in memory). */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

/** One physical line of an input file (1-based, blank lines count in the numbering but are not emitted). */
export type InputLine =
  | { readonly kind: 'line'; readonly file: string; readonly line: number; readonly text: string }
  | { readonly kind: 'bad'; readonly file: string; readonly line: number; readonly reason: string; readonly text: string };

/** What happened to a whole file once it has been read. */
export interface FileSummary {
  readonly file: string;
  readonly lines: number;
  readonly gzip: boolean;
  /** Set when a gzip stream ended early; the lines before were kept. */
  readonly truncated: string | null;
}

export interface ReadOptions {
  readonly stdin?: Readable;
  /** Read "-" from this file instead of stdin (stdin spooled for a two-pass delivery). */
  readonly stdinPath?: string;
  /** Lines of a file to leave out (already settled in an earlier run); they are not emitted. */
  readonly skip?: (file: string, line: number) => boolean;
  readonly onFile?: (summary: FileSummary) => void;
  /** Blank lines are not messages, but a resume journal still needs to know they were passed. */
  readonly onBlank?: (file: string, line: number) => void;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Stream NDJSON lines from files (plain or gzip, detected by magic bytes) or stdin ("-"), in
 * batches (one per decoded chunk). Memory stays bounded by the chunk size and the longest line.
 */
export async function* readLines(files: readonly string[], options: ReadOptions = {}): AsyncGenerator<InputLine[]> {
  for (const file of files) {
    const path = file === '-' ? options.stdinPath : file;
    const source = path === undefined ? (options.stdin ?? process.stdin) : createReadStream(path, { highWaterMark: 1 << 20 });
    yield* readOne(file, source, options);
  }
}

async function* readOne(file: string, source: Readable, options: ReadOptions): AsyncGenerator<InputLine[]> {
  const splitter = new LineSplitter(file, options.skip, options.onBlank);
  const decoded = decompress(source);
  let truncated: string | null = null;
  try {
    for await (const chunk of decoded.chunks) {
      const batch = splitter.push(chunk);
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (!decoded.gzip) throw error;
    truncated = `gzip stream ended early (${(error as Error).message}); kept the ${splitter.completeLines} complete lines before it`;
  }
  const tail = splitter.end(truncated !== null);
  if (tail.length > 0) yield tail;
  options.onFile?.({ file, lines: splitter.lineNumber, gzip: decoded.gzip, truncated });
}

/** Peek at the first chunk: gzip magic bytes (1f 8b) switch on decompression. */
function decompress(source: Readable): { chunks: AsyncGenerator<Buffer>; gzip: boolean } {
  const state = { gzip: false };
  async function* chunks(): AsyncGenerator<Buffer> {
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
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
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    const feeding = (async () => {
      for await (const chunk of raw()) if (!gunzip.write(chunk)) await new Promise((resolve) => gunzip.once('drain', resolve));
      gunzip.end();
    })();
    feeding.catch((error: Error) => gunzip.destroy(error));
    yield* gunzip as AsyncIterable<Buffer>;
  }
  return {
    chunks: chunks(),
    get gzip() {
      return state.gzip;
    },
  };
}

/** Splits decoded bytes into lines, tracking 1-based line numbers, BOM, CRLF and over-long lines. */
class LineSplitter {
  lineNumber = 0;
  completeLines = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlong = false;

  constructor(
    private readonly file: string,
    private readonly skip?: (file: string, line: number) => boolean,
    private readonly onBlank?: (file: string, line: number) => void,
  ) {}

  push(chunk: Buffer): InputLine[] {
    const out: InputLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.take(chunk.subarray(start, nl), true, out);
      start = nl + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
    return out;
  }

  /** The unterminated last line: a normal line at a clean end, rejected after a truncated gzip. */
  end(truncated: boolean): InputLine[] {
    const out: InputLine[] = [];
    if (this.pendingBytes === 0 && !this.overlong) return out;
    if (!truncated) {
      this.take(Buffer.alloc(0), true, out);
      return out;
    }
    const text = Buffer.concat(this.pending).toString('utf8');
    this.reset();
    this.lineNumber += 1;
    if (this.skip?.(this.file, this.lineNumber)) return out;
    out.push({ kind: 'bad', file: this.file, line: this.lineNumber, reason: 'truncated gzip: the last line is incomplete', text });
    return out;
  }

  private hold(part: Buffer): void {
    if (this.overlong) return;
    this.pendingBytes += part.length;
    if (this.pendingBytes > MAX_LINE_BYTES) {
      this.overlong = true;
      this.pending = [];
      return;
    }
    this.pending.push(Buffer.from(part));
  }

  private take(part: Buffer, complete: boolean, out: InputLine[]): void {
    this.lineNumber += 1;
    if (complete) this.completeLines += 1;
    const line = this.lineNumber;
    if (this.skip?.(this.file, line)) {
      this.reset();
      return;
    }
    if (this.overlong || this.pendingBytes + part.length > MAX_LINE_BYTES) {
      const size = this.pendingBytes + part.length;
      this.reset();
      out.push({ kind: 'bad', file: this.file, line, reason: `line is ${size} bytes: longer than the ${MAX_LINE_BYTES}-byte limit`, text: '' });
      return;
    }
    let bytes = this.pending.length === 0 ? part : Buffer.concat([...this.pending, part]);
    this.reset();
    if (line === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (isBlank(bytes)) {
      this.onBlank?.(this.file, line);
      return;
    }
    const text = bytes.toString('utf8');
    if (!isUtf8(bytes)) out.push({ kind: 'bad', file: this.file, line, reason: 'line is not valid UTF-8', text });
    else out.push({ kind: 'line', file: this.file, line, text });
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.overlong = false;
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== CR) return false;
  return true;
}
