/** Streaming writers: one NDJSON file, or a Segment-S3-style archive folder. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { generateMessages, lineTimeMs, resolveOptions, type SynthOptions } from './generate.js';
import { Rng } from './random.js';

export interface WriteOptions extends SynthOptions {
  gzip?: boolean;
  /** zlib level when gzip is on; default 1 (fast: big benchmark files are gzip-bound otherwise). */
  gzipLevel?: number;
}

export interface WriteResult {
  readonly path: string;
  readonly lines: number;
  /** Uncompressed bytes, newlines included. */
  readonly bytes: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Pulls up to `limit` lines from `lines` and encodes them, newline-terminated, straight into
 * ~1 MB buffers (no intermediate joined strings).
 */
function* chunked(lines: Iterator<string>, limit: number, tally: { lines: number; bytes: number }): Generator<Buffer> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let off = 0;
  for (let n = 0; n < limit; n++) {
    const next = lines.next();
    if (next.done) break;
    const line = next.value;
    const worst = line.length * 3 + 1;
    if (off + worst > buf.length) {
      if (off > 0) yield buf.subarray(0, off);
      buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, worst));
      off = 0;
    }
    const written = buf.write(line, off, 'utf8');
    off += written;
    buf[off++] = 10;
    tally.lines += 1;
    tally.bytes += written + 1;
  }
  if (off > 0) yield buf.subarray(0, off);
}

async function writePart(path: string, lines: Iterator<string>, limit: number, gzip: boolean, level: number): Promise<WriteResult> {
  await mkdir(dirname(path), { recursive: true });
  const tally = { lines: 0, bytes: 0 };
  const source = Readable.from(chunked(lines, limit, tally), { objectMode: false });
  const sink = createWriteStream(path);
  if (gzip) {
    const z: Transform = createGzip({ level });
    await pipeline(source, z, sink);
  } else {
    await pipeline(source, sink);
  }
  return { path, ...tally };
}

/** Streams `options.count` lines to `path` (memory stays flat for any count). */
export async function writeNdjson(path: string, options: WriteOptions): Promise<WriteResult> {
  const lines = generateMessages(options)[Symbol.iterator]();
  return writePart(path, lines, options.count, options.gzip ?? false, options.gzipLevel ?? 1);
}

export interface ArchiveOptions extends WriteOptions {
  /** Number of files the stream is split into (equal line counts); default 1. */
  files?: number;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Writes one generated stream as `<dir>/<YYYY-MM-DD>/<dayStartEpochMs>.<6 hex>.ndjson[.gz]`
 * files (Segment's S3 archive layout); the day is that of the part's first receivedAt.
 * Aliases stay later in the file order than the events that use their userId.
 */
export async function writeArchive(dir: string, options: ArchiveOptions): Promise<WriteResult[]> {
  const o = resolveOptions(options);
  const files = Math.max(1, Math.floor(options.files ?? 1));
  const names = new Rng(o.seed ^ 0x5a17c0de);
  const lines = generateMessages(options)[Symbol.iterator]();
  const results: WriteResult[] = [];
  let start = 0;
  for (let part = 0; part < files; part++) {
    const end = Math.round((o.count * (part + 1)) / files);
    const day = isoDay(lineTimeMs(o, start));
    const ext = options.gzip ? '.ndjson.gz' : '.ndjson';
    const path = join(dir, day, `${Date.parse(day)}.${names.hex(6)}${ext}`);
    results.push(await writePart(path, lines, end - start, options.gzip ?? false, options.gzipLevel ?? 1));
    start = end;
  }
  return results;
}
