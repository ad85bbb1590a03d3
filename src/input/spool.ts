import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isS3Url } from './s3/url.js';

/** Inputs copied to temporary files, by the name they were given (`-` for stdin). */
export interface Spool {
  readonly paths: ReadonlyMap<string, string>;
  remove(): Promise<void>;
}

/**
 * Whether an input can only be read once: stdin (`-`) or any path that is not a regular file (a
 * named FIFO, `/dev/stdin`, a process substitution `<(zcat day.gz)`, a character device). Read
 * twice (alias pass, then main pass), the second read of a pipe finds nothing, or blocks forever
 * waiting for a writer that is gone (README "Inputs").
 */
export async function readOnce(file: string): Promise<boolean> {
  if (file === '-') return true;
  // S3 objects are spooled as the alias pass reads them (docs/s3.md).
  if (isS3Url(file)) return false;
  const info = await stat(file);
  return !info.isFile();
}

/**
 * Copy every input that can only be read once to a temporary file, so it can be read twice.
 * Null when `signal` aborted the copy (an interrupt): then nothing was kept, and the inputs are
 * let go. A pipe is opened once, here, while its writer is still there.
 */
export async function spoolInputs(files: readonly string[], stdin: Readable, signal?: AbortSignal): Promise<Spool | null> {
  const once: string[] = [];
  for (const file of files) if (!once.includes(file) && (await readOnce(file))) once.push(file);
  const paths = new Map<string, string>();
  if (once.length === 0) return { paths, remove: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'mpx-replay-spool-'));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    for (const [index, file] of once.entries()) {
      if (signal?.aborted === true) break;
      const path = join(dir, `input-${index}`);
      const source = file === '-' ? stdin : createReadStream(file, { highWaterMark: 1 << 20 });
      await pipeline(source, createWriteStream(path), { signal });
      paths.set(file, path);
    }
  } catch (error) {
    await remove();
    if (signal?.aborted === true) return null;
    throw error;
  }
  if (signal?.aborted === true) {
    await remove();
    return null;
  }
  return { paths, remove };
}
