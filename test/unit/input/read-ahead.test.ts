/** Reading S3 bodies ahead of the pipeline (docs/s3.md, "Throughput"): order, bounds, errors, early stop. */
import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../src/input/read-ahead.js';

async function* chunks(sizes: readonly number[], failAfter: number | null = null, pulled: number[] = []): AsyncGenerator<Buffer> {
  for (const [i, size] of sizes.entries()) {
    if (failAfter === i) throw new Error(`broke after ${i} chunks`);
    pulled.push(i);
    yield Buffer.alloc(size, i);
  }
}

async function collect(source: AsyncIterable<Buffer>): Promise<number[]> {
  const seen: number[] = [];
  for await (const chunk of source) seen.push(chunk[0]!);
  return seen;
}

describe('readAhead', () => {
  it('hands on every chunk in order', async () => {
    expect(await collect(readAhead(chunks([3, 5, 7, 11]), 8))).toEqual([0, 1, 2, 3]);
  });

  it('an error reaches the reader after the chunks before it', async () => {
    const seen: number[] = [];
    const failure = (async () => {
      for await (const chunk of readAhead(chunks([4, 4, 4], 2), 100)) seen.push(chunk[0]!);
    })();
    await expect(failure).rejects.toThrow('broke after 2 chunks');
    expect(seen).toEqual([0, 1]);
  });

  it('pulls no further than maxBytes ahead of a reader that waits', async () => {
    const pulled: number[] = [];
    const reader = readAhead(chunks([10, 10, 10, 10, 10, 10], null, pulled), 25);
    await reader.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // One chunk handed on, three queued (30 bytes: the pump stops once 25 are reached).
    expect(pulled).toEqual([0, 1, 2, 3]);
    await reader.return(undefined);
  });

  it('a reader that stops early ends the source', async () => {
    let ended = false;
    async function* endless(): AsyncGenerator<Buffer> {
      try {
        for (let i = 0; ; i++) yield Buffer.alloc(1, i);
      } finally {
        ended = true;
      }
    }
    for await (const _chunk of readAhead(endless(), 4)) break;
    expect(ended).toBe(true);
  });
});
