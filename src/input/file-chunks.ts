import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';

/**
 * A file's bytes, read into one buffer used again for every read: the chunks are borrowed until
 * the next read. (A read stream's fresh 1 MiB per read is garbage the main thread, which allocates
 * little else, frees late: tens of MB of RSS.)
 */
export async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
