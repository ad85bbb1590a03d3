import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

/** A local input's identity in the checkpoint: its size and a hash of its first 64 KiB. */
const HEAD_BYTES = 64 * 1024;

/** The size and head hash of a local input. */
export async function fileIdentity(file: string): Promise<{ size: number; head: string }> {
  const { size } = await stat(file);
  return { size, head: await headHash(file, Math.min(HEAD_BYTES, size)) };
}

/** The hash of a file's first `bytes` bytes. */
async function headHash(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    await handle.read(buffer, 0, bytes, 0);
    return createHash('sha256').update(buffer).digest('hex').slice(0, 32);
  } finally {
    await handle.close();
  }
}

/**
 * How a local input differs from its journal entry, and what --force does: a file larger now
 * whose head (the first 64 KiB it had) is as it was has been appended to.
 */
export async function howChanged(file: string, before: { readonly size: number; readonly head: string }, size: number): Promise<string> {
  const head = Math.min(HEAD_BYTES, before.size);
  const grew = size > before.size && (await headHash(file, head)) === before.head;
  if (!grew) return '(size or content differs); use --force to start that file over';
  return `(it grew from ${before.size} to ${size} bytes, its first ${head} as they were: appended to since); --force starts it over from its first line, so the lines already delivered are sent again (events deduplicate by $insert_id, $add/$append updates apply twice)`;
}
