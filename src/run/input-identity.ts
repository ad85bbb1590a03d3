import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

/** A local input's identity in the checkpoint: its size and hashes of its first and last 64 KiB. */
const EDGE_BYTES = 64 * 1024;

export interface FileIdentity {
  readonly size: number;
  readonly head: string;
  /** The hash of the last 64 KiB (absent in journals written before it was recorded). */
  readonly tail?: string;
}

/** The size and edge hashes of a local input. */
export async function fileIdentity(file: string): Promise<FileIdentity> {
  const { size } = await stat(file);
  const edge = Math.min(EDGE_BYTES, size);
  return { size, head: await rangeHash(file, 0, edge), tail: await rangeHash(file, size - edge, edge) };
}

/** `bytes` bytes of a file from `from`. */
async function readRange(file: string, from: number, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    await handle.read(buffer, 0, bytes, from);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** The hash of `bytes` bytes of a file from `from`. */
async function rangeHash(file: string, from: number, bytes: number): Promise<string> {
  return createHash('sha256').update(await readRange(file, from, bytes)).digest('hex').slice(0, 32);
}

/**
 * Whether a local input only had lines appended since `before` was recorded: it is larger, its
 * first and last 64 KiB at the old size hash as they did, and the old size ended a line. Then
 * the lines settled before are the same lines, and a resume reads on after them.
 */
export async function onlyAppended(file: string, before: FileIdentity, size: number): Promise<boolean> {
  if (before.tail === undefined || size <= before.size || before.size === 0) return false;
  const edge = Math.min(EDGE_BYTES, before.size);
  if ((await rangeHash(file, 0, edge)) !== before.head || (await rangeHash(file, before.size - edge, edge)) !== before.tail) return false;
  return (await readRange(file, before.size - 1, 1))[0] === 0x0a;
}

/**
 * How a local input differs from its journal entry, and what --force does: a file larger now
 * whose head (the first 64 KiB it had) is as it was has been appended to.
 */
export async function howChanged(file: string, before: FileIdentity, size: number): Promise<string> {
  const head = Math.min(EDGE_BYTES, before.size);
  const grew = size > before.size && (await rangeHash(file, 0, head)) === before.head;
  if (!grew) return '(size or content differs); use --force to start that file over';
  return `(it grew from ${before.size} to ${size} bytes, its first ${head} as they were, but not as lines appended after a complete last line, or the checkpoint predates recording its end); --force starts it over from its first line, so the lines already delivered are sent again (events deduplicate by $insert_id, $add/$append updates apply twice)`;
}
