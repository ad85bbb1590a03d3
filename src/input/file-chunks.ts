import { Buffer } from 'node:buffer';
import { open, stat } from 'node:fs/promises';

/** A file that has more than the `length` it was to be read to: it grew since that was measured. */
export class InputGrew extends Error {
  constructor(readonly length: number) {
    super(`more than the ${length} bytes to read`);
  }
}

/**
 * A file's bytes, read into one buffer used again for every read: the chunks are borrowed until
 * the next read. (A read stream's fresh 1 MiB per read is garbage the main thread, which allocates
 * little else, frees late: tens of MB of RSS.) With `length`, no more than that is read, and a
 * file that has more ends with `InputGrew`.
 */
export async function* fileChunks(path: string, length = Number.POSITIVE_INFINITY): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(1 << 20);
    let left = length;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, left), null);
      if (bytesRead === 0) break;
      left -= bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
    if (left === 0 && (await handle.read(buffer, 0, 1, null)).bytesRead > 0) throw new InputGrew(length);
  } finally {
    await handle.close();
  }
}

/** A file's bytes, read again; none for a pipe or a device given as a path (opened again, it would wait for a writer). */
export async function* regularFileChunks(path: string, length?: number): AsyncGenerator<Buffer> {
  if ((await stat(path)).isFile()) yield* fileChunks(path, length);
}
