/** A run that stops reading early (Ctrl-C, `| head`) closes the file it was reading (README "Stdin and interrupts"). */
import { writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../support/temp-dir.js';

const handles = vi.hoisted(() => ({ opened: 0, closed: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>): Promise<FileHandle> => {
      const handle = await real.open(...args);
      handles.opened += 1;
      const close = handle.close.bind(handle);
      handle.close = async () => {
        handles.closed += 1;
        return close();
      };
      return handle;
    },
  };
});

const { readBlocks } = await import('../../../src/input/read.js');

const tmp = tempDir('mpx-read-close-');
afterAll(() => tmp.cleanup());

/** 3 MB of lines: several reads and blocks, so a stop after the first block leaves the file half read. */
function manyLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < 30_000; i += 1) lines.push(JSON.stringify({ type: 'track', event: `Event ${i}`, userId: `user-${i}`, pad: 'p'.repeat(60) }));
  return `${lines.join('\n')}\n`;
}

describe('§2 readBlocks stopped after its first block', () => {
  it.each([
    ['a plain file', (text: string) => Buffer.from(text)],
    ['a gzip file', (text: string) => gzipSync(text)],
  ])('%s: the file handle is closed, not left to the garbage collector', async (_name, encode) => {
    const path = tmp.unique('day.ndjson');
    writeFileSync(path, encode(manyLines()));
    const before = { ...handles };
    for await (const item of readBlocks([path])) {
      expect(item.kind).toBe('block');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handles.opened - before.opened).toBe(1);
    expect(handles.closed - before.closed).toBe(1);
  });
});
