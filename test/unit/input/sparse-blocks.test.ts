/**
 * The reader's sparse mode (the alias pass, SPEC §6.1): only the wanted lines keep their bytes,
 * every other line comes out empty, and each wanted line keeps its number (SPEC §4.8), across
 * reads, gzip, CRLF, a missing final newline, a truncated gzip tail and settled lines (§7 skip).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlocks, type ReadOptions } from '../../../src/input/read.js';
import { splitBlock } from '../../../src/input/split-lines.js';
import type { Block } from '../../../src/input/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mpx-sparse-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Wanted: the lines holding the letter W (a stand-in for the alias scan). */
const holdingW = (bytes: Buffer): number[] => {
  const found: number[] = [];
  for (let at = bytes.indexOf('W'); at !== -1; at = bytes.indexOf('W', at + 1)) found.push(at);
  return found;
};

/** The non-blank lines of the blocks read, as [number, text], and how many blocks there were. */
async function readSparse(content: Buffer, options: ReadOptions = {}): Promise<{ lines: Array<[number, string]>; blocks: number; lineCount: number }> {
  const path = join(dir, `input-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(path, content);
  const lines: Array<[number, string]> = [];
  let blocks = 0;
  let lineCount = 0;
  for await (const item of readBlocks([path], { ...options, wanted: holdingW, onFile: (summary) => (lineCount = summary.lines) })) {
    expect(item.kind).toBe('block');
    blocks += 1;
    splitBlock(item as Block, (line) => lines.push([line.line, line.text]), () => undefined);
  }
  return { lines, blocks, lineCount };
}

const many = Array.from({ length: 6000 }, (_, i) => (i % 97 === 5 ? `{"n":${i + 1},"t":"W"}` : `{"n":${i + 1},"fill":"${'x'.repeat(300 + (i % 40))}"}`));
const wantedOfMany = many.flatMap((text, i): Array<[number, string]> => (text.includes('W') ? [[i + 1, text]] : []));

describe('§6.1 sparse blocks: the wanted lines, with their numbers', () => {
  const cases: Array<{ rule: string; content: Buffer; options?: ReadOptions; expected: Array<[number, string]>; lineCount: number }> = [
    { rule: 'only the wanted lines keep their text', content: Buffer.from('{"a":1}\n{"b":"W"}\n{"c":3}\n'), expected: [[2, '{"b":"W"}']], lineCount: 3 },
    { rule: 'a wanted last line without a final newline', content: Buffer.from('{"a":1}\n{"a":2}\n{"z":"W"}'), expected: [[3, '{"z":"W"}']], lineCount: 3 },
    { rule: 'CRLF line ends and blank lines keep the numbering', content: Buffer.from('{"a":1}\r\n\r\n{"q":"W"}\r\n'), expected: [[3, '{"q":"W"}']], lineCount: 3 },
    { rule: 'a wanted line settled in an earlier run is left out', content: Buffer.from('{"k":"W1"}\n{"k":"W2"}\n'), options: { skip: (_file, line) => line === 1 }, expected: [[2, '{"k":"W2"}']], lineCount: 2 },
    { rule: 'lines across 1 MiB reads (2 MiB of input)', content: Buffer.from(`${many.join('\n')}\n`), expected: wantedOfMany, lineCount: 6000 },
    { rule: 'a gzip input', content: gzipSync(`${many.join('\n')}\n`), expected: wantedOfMany, lineCount: 6000 },
    {
      rule: 'a truncated gzip: its incomplete last line counts, is not wanted',
      content: gzipSync('{"a":"W"}\n{"b":"W', { finishFlush: constants.Z_SYNC_FLUSH }),
      expected: [[1, '{"a":"W"}']],
      lineCount: 2,
    },
  ];

  it.each(cases)('§6.1 $rule', async ({ content, options, expected, lineCount }) => {
    const read = await readSparse(content, options);
    expect(read.lines).toEqual(expected);
    expect(read.lineCount).toBe(lineCount);
  });

  it('§6.1 one sparse block covers the wanted lines of many read blocks', async () => {
    const { blocks } = await readSparse(Buffer.from(`${many.join('\n')}\n`));
    expect(blocks).toBe(1);
  });
});
