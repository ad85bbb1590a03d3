import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Copy stdin to a temporary file so it can be read twice (alias pass, then main pass). */
export async function spoolStdin(stdin: Readable): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mpx-replay-stdin-'));
  const path = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(path));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
