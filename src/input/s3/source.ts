import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../../errors.js';
import { fileChunks } from '../file-chunks.js';
import { dayName, type DayWindow } from './received-days.js';
import type { S3Access } from './access.js';
import { describeS3Failure } from './errors.js';
import { listS3Input, type ListedInput, type S3Object } from './list.js';
import { objectChunks, RESUME_DEFAULTS, type ResumePolicy } from './object.js';
import { readAhead } from '../read-ahead.js';
import { parseS3Url } from './url.js';
import type { OpenedInput } from '../types.js';

export interface S3InputsOptions {
  readonly access: S3Access;
  /** --from/--to as received days (null: no narrowing). */
  readonly window: DayWindow | null;
  /** Keys per listing page; S3's default (1000) when absent. */
  readonly maxKeys?: number;
  readonly resume?: Partial<ResumePolicy>;
  /** Told when a read is resumed (a notice for the user). */
  readonly onNotice?: (text: string) => void;
}

/** What the report says about the S3 inputs (README "Nightly backfill from S3"). */
export interface S3Summary {
  readonly prefixes: Array<{ readonly input: string; readonly days: string[] | null; readonly objects: number; readonly ignored: number }>;
  /** Objects whose bytes were fetched from S3. */
  readonly objectsRead: number;
  /** Bytes received from S3 (as stored, before gunzip). */
  readonly bytesRead: number;
  /** Reads resumed with a ranged GetObject. */
  readonly resumes: number;
}

/**
 * The `s3://` inputs of a run: their listings, their objects' identities (for the checkpoint),
 * and their bytes. A delivery reads its inputs twice (alias pass, then main pass); with `spool`
 * on, the first read of each object also writes its bytes, as stored, to a temporary folder, and
 * the second read takes them from there (and deletes them), so nothing is downloaded twice.
 */
export class S3Inputs {
  private readonly objects = new Map<string, S3Object>();
  private readonly listed: ListedInput[] = [];
  private readonly fetched = new Set<string>();
  private bytesRead = 0;
  private resumes = 0;
  private readonly policy: ResumePolicy;
  private spoolDir: string | null = null;
  /** Objects read whole into the spool, by URL. */
  private readonly spooled = new Map<string, string>();
  private spoolFiles = 0;

  constructor(private readonly options: S3InputsOptions) {
    this.policy = { ...RESUME_DEFAULTS, sleep: (ms) => sleep(ms), ...options.resume };
  }

  /** The object URLs of one `s3://bucket/prefix` input, in key order (an input error, exit 2, when there are none). */
  async expand(input: string): Promise<string[]> {
    const location = parseS3Url(input);
    if ('error' in location) throw new InputError(location.error);
    const listed = await listS3Input(this.options.access, input, location, { window: this.options.window, maxKeys: this.options.maxKeys });
    this.listed.push(listed);
    for (const object of listed.objects) this.objects.set(object.url, object);
    return listed.objects.map((o) => o.url);
  }

  /**
   * Start reading the first object of each input, before anything is sent: a denied read or a KMS
   * key the credentials cannot use is an input error (exit 2) then, not a failure mid-run.
   */
  async probe(): Promise<void> {
    for (const { objects } of this.listed) {
      const first = objects[0]!;
      const controller = new AbortController();
      try {
        const reply = await this.options.access.getObject(first.bucket, first.key, 0, first.etag === '' ? null : first.etag, controller.signal);
        reply.stream.destroy();
      } catch (error) {
        throw new InputError(describeS3Failure(error, first.url));
      }
    }
  }

  /** URL, size and ETag: what identifies an object's version for the checkpoint. */
  identity(url: string): { size: number; etag: string } | null {
    const object = this.objects.get(url);
    return object === undefined ? null : { size: object.size, etag: object.etag };
  }

  /** The bytes of an `s3://` object (from the spool when it holds them), or null for anything else. */
  open(file: string, signal: AbortSignal | undefined): OpenedInput | null {
    const object = this.objects.get(file);
    if (object === undefined) return null;
    const spooledPath = this.spooled.get(file);
    if (spooledPath !== undefined) {
      this.spooled.delete(file);
      return { chunks: readAndRemove(spooledPath), borrowed: true };
    }
    return { chunks: this.fetch(object, signal), borrowed: false };
  }

  /** Keep what is read from now on in a temporary folder, for one more read of each object. */
  async startSpool(): Promise<void> {
    this.spoolDir ??= await mkdtemp(join(tmpdir(), 'mpx-replay-s3-'));
  }

  /** Remove the spool folder and what is left in it. */
  async close(): Promise<void> {
    const dir = this.spoolDir;
    this.spoolDir = null;
    this.spooled.clear();
    if (dir !== null) await rm(dir, { recursive: true, force: true });
    this.options.access.close();
  }

  summary(): S3Summary {
    return {
      prefixes: this.listed.map((l) => ({ input: l.input, days: l.days === null ? null : l.days.map(dayName), objects: l.objects.length, ignored: l.ignored })),
      objectsRead: this.fetched.size,
      bytesRead: this.bytesRead,
      resumes: this.resumes,
    };
  }

  private async *fetch(object: S3Object, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
    this.fetched.add(object.url);
    const events = {
      onBytes: (bytes: number) => void (this.bytesRead += bytes),
      onResume: (o: S3Object, at: number, reason: string) => {
        this.resumes += 1;
        this.options.onNotice?.(`${o.url}: read broke at byte ${at} of ${o.size} (${reason}); resuming there`);
      },
    };
    const chunks = coalesce(readAhead(objectChunks(this.options.access, object, this.policy, events, signal), READ_AHEAD_BYTES), COALESCE_BYTES);
    if (this.spoolDir === null) {
      yield* chunks;
      return;
    }
    this.spoolFiles += 1;
    const path = join(this.spoolDir, String(this.spoolFiles));
    const out = createWriteStream(path);
    // A spool that cannot be written (a full disk) only costs a second download.
    let writeError: Error | null = null;
    out.on('error', (error) => void (writeError ??= error));
    let whole = false;
    try {
      for await (const chunk of chunks) {
        // Chunks from the network are fresh buffers: they can be written while the reader goes on.
        if (writeError === null && !out.write(chunk)) await drained(out);
        yield chunk;
      }
      whole = signal?.aborted !== true;
    } finally {
      if (writeError === null) await new Promise<void>((resolve) => out.end(resolve));
      else out.destroy();
      if (whole && writeError === null) this.spooled.set(object.url, path);
      else await rm(path, { force: true });
    }
  }
}

/**
 * The network hands over chunks of 16-64 KiB; the reader and gunzip cost less per byte in pieces of
 * about the size of a file read (1 MiB), so chunks are joined up to that (docs/s3.md, "Throughput").
 */
const COALESCE_BYTES = 1 << 20;
/** How far an object is read ahead of the pipeline. */
const READ_AHEAD_BYTES = 8 << 20;

async function* coalesce(chunks: AsyncIterable<Buffer>, bytes: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    held.push(chunk);
    size += chunk.length;
    if (size < bytes) continue;
    yield held.length === 1 ? held[0]! : Buffer.concat(held, size);
    held = [];
    size = 0;
  }
  if (size > 0) yield held.length === 1 ? held[0]! : Buffer.concat(held, size);
}

async function* readAndRemove(path: string): AsyncGenerator<Buffer> {
  try {
    yield* fileChunks(path);
  } finally {
    await rm(path, { force: true });
  }
}

/** The stream drained, or failed (the failure is seen by its 'error' listener). */
function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
  });
}
