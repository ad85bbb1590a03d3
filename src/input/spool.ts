import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Copy stdin to a temporary file so it can be read twice (alias pass, then main pass). Null when
 * `signal` aborted the copy (an interrupt): then nothing was kept, and stdin is let go.
 */
export async function spoolStdin(stdin: Readable, signal?: AbortSignal): Promise<{ path: string; remove: () => Promise<void> } | null> {
  const dir = await mkdtemp(join(tmpdir(), 'mpx-replay-stdin-'));
  const path = join(dir, 'stdin');
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(stdin, createWriteStream(path), { signal });
  } catch (error) {
    await remove();
    if (signal?.aborted === true) return null;
    throw error;
  }
  return { path, remove };
}
