/**
 * The line reader (SPEC §1 inputs, §2 reading input, §4.8 line numbering): every edge case
 * asserts the exact line numbers and texts (or reasons) that come out.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../../../src/input/expand.js';
import { MAX_LINE_BYTES, readBlocks, readLines, type ReadOptions } from '../../../src/input/read.js';
import { InputError } from '../../../src/errors.js';
import type { FileSummary, InputLine } from '../../../src/input/types.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mpx-read-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Read everything, flattening the batches, and collect the per-file summaries. */
async function readAll(files: readonly string[], options: ReadOptions = {}): Promise<{ lines: InputLine[]; summaries: FileSummary[] }> {
  const lines: InputLine[] = [];
  const summaries: FileSummary[] = [];
  for await (const batch of readLines(files, { ...options, onFile: (s) => summaries.push(s) })) lines.push(...batch);
  return { lines, summaries };
}

function write(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const ok = (line: number, text: string) => ({ kind: 'line', line, text });
const bad = (line: number, reason: string | RegExp) => ({ kind: 'bad', line, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** A gzip stream cut right after a sync flush: every byte written so far decodes, then the stream just stops. */
const truncatedGzip = (content: string) => gzipSync(utf8(content), { finishFlush: constants.Z_SYNC_FLUSH });

describe('§2 readLines: one file, edge cases', () => {
  type Case = { name: string; file: string; content: Buffer; expected: object[]; lines: number; gzip: boolean; truncated?: RegExp };
  const cases: Case[] = [
    {
      name: '§2 a plain file gives one line per physical line, numbered from 1',
      file: 'plain.ndjson',
      content: utf8('{"n":"first"}\n{"n":"second"}\n{"n":"third"}\n'),
      expected: [ok(1, '{"n":"first"}'), ok(2, '{"n":"second"}'), ok(3, '{"n":"third"}')],
      lines: 3,
      gzip: false,
    },
    {
      name: '§1 a .gz file is decompressed',
      file: 'day.ndjson.gz',
      content: gzipSync(utf8('{"g":"alpha"}\n{"g":"beta"}\n')),
      expected: [ok(1, '{"g":"alpha"}'), ok(2, '{"g":"beta"}')],
      lines: 2,
      gzip: true,
    },
    {
      name: '§1 gzip is detected by magic bytes even when the name has no .gz',
      file: 'disguised.ndjson',
      content: gzipSync(utf8('{"m":"magic-1"}\n{"m":"magic-2"}\n')),
      expected: [ok(1, '{"m":"magic-1"}'), ok(2, '{"m":"magic-2"}')],
      lines: 2,
      gzip: true,
    },
    {
      name: '§1 a plain file named .gz is read as plain text (magic bytes rule, not the name)',
      file: 'not-really.gz',
      content: utf8('{"p":"plain-in-gz-name"}\n'),
      expected: [ok(1, '{"p":"plain-in-gz-name"}')],
      lines: 1,
      gzip: false,
    },
    {
      name: '§2 a multi-member gzip (concatenated gzip files) is read to the end, numbering continues',
      file: 'multi.json.gz',
      content: Buffer.concat([gzipSync(utf8('{"member":1,"i":"a"}\n{"member":1,"i":"b"}\n')), gzipSync(utf8('{"member":2,"i":"c"}\n'))]),
      expected: [ok(1, '{"member":1,"i":"a"}'), ok(2, '{"member":1,"i":"b"}'), ok(3, '{"member":2,"i":"c"}')],
      lines: 3,
      gzip: true,
    },
    {
      name: '§2 a UTF-8 BOM at the start is stripped from line 1',
      file: 'bom.ndjson',
      content: Buffer.concat([BOM, utf8('{"b":"after-bom"}\n{"b":"second"}\n')]),
      expected: [ok(1, '{"b":"after-bom"}'), ok(2, '{"b":"second"}')],
      lines: 2,
      gzip: false,
    },
    {
      name: '§2 a UTF-8 BOM inside a gzip file is stripped too',
      file: 'bom.ndjson.gz',
      content: gzipSync(Buffer.concat([BOM, utf8('{"b":"gz-bom"}\n')])),
      expected: [ok(1, '{"b":"gz-bom"}')],
      lines: 1,
      gzip: true,
    },
    {
      name: '§2 CRLF line endings are stripped',
      file: 'crlf.ndjson',
      content: utf8('{"c":"one"}\r\n{"c":"two"}\r\n'),
      expected: [ok(1, '{"c":"one"}'), ok(2, '{"c":"two"}')],
      lines: 2,
      gzip: false,
    },
    {
      name: '§2 BOM and CRLF together',
      file: 'bom-crlf.ndjson',
      content: Buffer.concat([BOM, utf8('{"x":"bc-1"}\r\n\r\n{"x":"bc-3"}\r\n')]),
      expected: [ok(1, '{"x":"bc-1"}'), ok(3, '{"x":"bc-3"}')],
      lines: 3,
      gzip: false,
    },
    {
      name: '§2 a missing final newline still yields the last line',
      file: 'no-eol.ndjson',
      content: utf8('{"e":"first"}\n{"e":"last-no-newline"}'),
      expected: [ok(1, '{"e":"first"}'), ok(2, '{"e":"last-no-newline"}')],
      lines: 2,
      gzip: false,
    },
    {
      name: '§2 a missing final newline in a gzip file still yields the last line',
      file: 'no-eol.ndjson.gz',
      content: gzipSync(utf8('{"e":"gz-first"}\n{"e":"gz-last"}')),
      expected: [ok(1, '{"e":"gz-first"}'), ok(2, '{"e":"gz-last"}')],
      lines: 2,
      gzip: true,
    },
    {
      name: '§4.8 blank and whitespace-only lines are not emitted but count in the numbering',
      file: 'blanks.ndjson',
      content: utf8('\n{"k":"line-2"}\n\n   \n\t \r\n{"k":"line-6"}\n\n'),
      expected: [ok(2, '{"k":"line-2"}'), ok(6, '{"k":"line-6"}')],
      lines: 7,
      gzip: false,
    },
    {
      name: '§2 invalid UTF-8 bytes make a bad line; the lines around it are read normally',
      file: 'latin1.ndjson',
      content: Buffer.concat([utf8('{"u":"before"}\n{"u":"caf'), Buffer.from([0xe9, 0xff]), utf8('"}\n{"u":"after"}\n')]),
      expected: [ok(1, '{"u":"before"}'), bad(2, 'line is not valid UTF-8'), ok(3, '{"u":"after"}')],
      lines: 3,
      gzip: false,
    },
    {
      name: '§2 a U+FFFD written as valid UTF-8 is a good line; an encoded surrogate (ED A0 80) is not',
      file: 'replacement.ndjson',
      content: Buffer.concat([utf8('{"r":"kept \uFFFD here"}\n{"r":"'), Buffer.from([0xed, 0xa0, 0x80]), utf8('"}\n{"r":"last"}\n')]),
      expected: [ok(1, '{"r":"kept \uFFFD here"}'), bad(2, 'line is not valid UTF-8'), ok(3, '{"r":"last"}')],
      lines: 3,
      gzip: false,
    },
    {
      name: '§2 multi-byte UTF-8 characters are decoded intact',
      file: 'unicode.ndjson',
      content: utf8('{"name":"Zoë 東京 🚀"}\n'),
      expected: [ok(1, '{"name":"Zoë 東京 🚀"}')],
      lines: 1,
      gzip: false,
    },
    {
      name: '§2 an empty file yields no lines',
      file: 'empty.ndjson',
      content: Buffer.alloc(0),
      expected: [],
      lines: 0,
      gzip: false,
    },
    {
      name: '§2 truncated gzip: the complete lines are kept, the incomplete tail is a bad line',
      file: 'cut.ndjson.gz',
      content: truncatedGzip('{"t":"kept-1"}\n{"t":"kept-2"}\n\n{"t":"incompl'),
      expected: [ok(1, '{"t":"kept-1"}'), ok(2, '{"t":"kept-2"}'), bad(4, /truncated gzip/)],
      lines: 4,
      gzip: true,
      truncated: /gzip stream ended early/,
    },
    {
      name: '§2 truncated gzip cut at a line end: every line is kept and the truncation is still reported',
      file: 'cut-at-eol.ndjson.gz',
      content: truncatedGzip('{"t":"whole-1"}\n{"t":"whole-2"}\n'),
      expected: [ok(1, '{"t":"whole-1"}'), ok(2, '{"t":"whole-2"}')],
      lines: 2,
      gzip: true,
      truncated: /gzip stream ended early/,
    },
    {
      name: '§2 gzip cut inside its trailer: the data lines are kept and the truncation is reported',
      file: 'cut-trailer.ndjson.gz',
      content: (() => {
        const whole = gzipSync(utf8('{"t":"trailer-1"}\n{"t":"trailer-2"}\n'));
        return whole.subarray(0, whole.length - 5);
      })(),
      expected: [ok(1, '{"t":"trailer-1"}'), ok(2, '{"t":"trailer-2"}')],
      lines: 2,
      gzip: true,
      truncated: /gzip stream ended early/,
    },
  ];

  it.each(cases)('$name', async ({ file, content, expected, lines, gzip, truncated }) => {
    const path = write(file, content);
    const result = await readAll([path]);
    expect(result.lines).toEqual(expected.map((e) => ({ file: path, ...e, ...('reason' in e ? { text: expect.any(String) } : {}) })));
    expect(result.summaries).toEqual([{ file: path, lines, gzip, truncated: truncated === undefined ? null : expect.stringMatching(truncated) }]);
  });

  it('§2 truncated gzip: the bad tail carries the incomplete text that was decoded', async () => {
    const path = write('cut-text.ndjson.gz', truncatedGzip('{"t":"a"}\n{"t":"partial-tail'));
    const { lines } = await readAll([path]);
    expect(lines[1]).toEqual({ kind: 'bad', file: path, line: 2, reason: expect.stringMatching(/truncated gzip/), text: '{"t":"partial-tail' });
  });

  it('§2 invalid UTF-8: the bad line keeps a text (lossily decoded) to show in the rejects file', async () => {
    const path = write('latin1-text.ndjson', Buffer.concat([utf8('{"v":"x'), Buffer.from([0xff]), utf8('y"}\n')]));
    const { lines } = await readAll([path]);
    expect(lines).toEqual([{ kind: 'bad', file: path, line: 1, reason: 'line is not valid UTF-8', text: '{"v":"x\ufffdy"}' }]);
  });

  it('§2 a plain file that fails to read is an error, not a silent end of input', async () => {
    const sub = join(dir, 'a-directory.ndjson');
    mkdirSync(sub, { recursive: true });
    await expect(readAll([sub])).rejects.toThrow(/EISDIR/);
  });
});

describe('§2 readLines: very long lines (32 MiB limit)', () => {
  const small = (tag: string) => `{"tag":"${tag}"}`;
  /** A JSON line of exactly `bytes` bytes. */
  const longLine = (bytes: number, fill: string) => `{"p":"${fill.repeat(bytes - 8)}"}`;
  let atLimit: string;
  let overLimit: string;
  let overLimitLast: string;

  beforeAll(() => {
    atLimit = write('at-limit.ndjson', `${small('before')}\n${longLine(MAX_LINE_BYTES, 'a')}\n${small('after')}\n`);
    overLimit = write('over-limit.ndjson', `${small('before')}\n${longLine(MAX_LINE_BYTES + 1024 * 1024, 'b')}\n\n${small('after')}\n`);
    overLimitLast = write('over-limit-last.ndjson', `${small('only')}\n${longLine(MAX_LINE_BYTES + 10, 'c')}`);
  });

  it('§2 the limit is 32 MiB', () => {
    expect(MAX_LINE_BYTES).toBe(32 * 1024 * 1024);
  });

  it('§2 a line of exactly 32 MiB is read whole', async () => {
    const { lines } = await readAll([atLimit]);
    expect(lines.map((l) => [l.kind, l.line, l.kind === 'line' ? l.text.length : l.reason])).toEqual([
      ['line', 1, small('before').length],
      ['line', 2, MAX_LINE_BYTES],
      ['line', 3, small('after').length],
    ]);
    expect(lines[1]?.kind === 'line' && lines[1].text.endsWith('aaa"}')).toBe(true);
  });

  it('§2 a line over 32 MiB is a bad line naming the limit; the following line keeps its number', async () => {
    const { lines, summaries } = await readAll([overLimit]);
    expect(lines).toEqual([
      { kind: 'line', file: overLimit, line: 1, text: small('before') },
      { kind: 'bad', file: overLimit, line: 2, reason: expect.stringContaining(`${MAX_LINE_BYTES}-byte limit`), text: '' },
      { kind: 'line', file: overLimit, line: 4, text: small('after') },
    ]);
    expect(summaries).toEqual([{ file: overLimit, lines: 4, gzip: false, truncated: null }]);
  });

  it('§2 an over-long last line without a final newline is a bad line too', async () => {
    const { lines } = await readAll([overLimitLast]);
    expect(lines).toEqual([
      { kind: 'line', file: overLimitLast, line: 1, text: small('only') },
      { kind: 'bad', file: overLimitLast, line: 2, reason: expect.stringContaining(`${MAX_LINE_BYTES}-byte limit`), text: '' },
    ]);
  });

  it('§7 skip: an over-long line already settled in an earlier run is not emitted again', async () => {
    const { lines } = await readAll([overLimit], { skip: (_file, line) => line === 2 });
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ['line', 1],
      ['line', 4],
    ]);
  });
});

describe('§2 files larger than one read: lines across read boundaries', () => {
  // Reads are 1 MiB into one reused buffer: every line must come out whole and unchanged, also
  // those cut by a read and those longer than a read. Each line's content differs from its neighbours'.
  const lineText = (n: number) => JSON.stringify({ n, fill: String(n % 10).repeat(n % 700 === 0 ? 1_500_000 + n : 900 + (n % 50)) });
  const texts = Array.from({ length: 3000 }, (_, i) => lineText(i + 1));
  const content = utf8(`${texts.join('\n')}\n`);

  it.each([
    { name: 'plain', file: 'big.ndjson', bytes: content },
    { name: 'gzip', file: 'big.ndjson.gz', bytes: gzipSync(content) },
  ])('§2 $name: 3000 lines (some over 1 MiB) come out whole, numbered 1..3000', async ({ file, bytes }) => {
    const path = write(file, bytes);
    const { lines } = await readAll([path]);
    expect(lines.length).toBe(texts.length);
    const wrong = lines.filter((line, i) => line.kind !== 'line' || line.line !== i + 1 || line.text !== texts[i]);
    expect(wrong.map((l) => l.line)).toEqual([]);
  });
});

describe('§2 blocks own their memory (transferred to a worker, reused as output memory)', () => {
  it.each([
    { name: 'a small file', content: '{"a":1}\n{"b":2}\n' },
    { name: 'a small file without a final newline', content: '{"a":1}\n{"b":2}' },
    { name: 'one line', content: '{"c":3}' },
  ])('§2 $name: every block\'s bytes are the whole of their ArrayBuffer', async ({ content }) => {
    const path = write('owned.ndjson', content);
    const blocks = [];
    for await (const item of readBlocks([path])) if (item.kind === 'block') blocks.push(item);
    expect(blocks.map((block) => [Buffer.from(block.bytes).toString('utf8'), block.bytes.byteOffset, block.bytes.buffer.byteLength])).toEqual([[content, 0, Buffer.byteLength(content)]]);
  });
});

describe('§1 readLines: stdin, several files, skip', () => {
  it('§1 "-" reads the stdin stream given in the options', async () => {
    const stdin = Readable.from([utf8('{"s":"stdin-1"}\n{"s":"std'), utf8('in-2"}\n')]);
    const { lines, summaries } = await readAll(['-'], { stdin });
    expect(lines).toEqual([
      { kind: 'line', file: '-', line: 1, text: '{"s":"stdin-1"}' },
      { kind: 'line', file: '-', line: 2, text: '{"s":"stdin-2"}' },
    ]);
    expect(summaries).toEqual([{ file: '-', lines: 2, gzip: false, truncated: null }]);
  });

  it('§1 gzip on stdin is detected by its magic bytes', async () => {
    const stdin = Readable.from([gzipSync(utf8('{"s":"gz-stdin"}\n'))]);
    const { lines, summaries } = await readAll(['-'], { stdin });
    expect(lines).toEqual([{ kind: 'line', file: '-', line: 1, text: '{"s":"gz-stdin"}' }]);
    expect(summaries[0]?.gzip).toBe(true);
  });

  it('§1 gzip on stdin is detected even when the pipe delivers the magic bytes in separate chunks', async () => {
    const gz = gzipSync(utf8('{"s":"byte-by-byte"}\n'));
    const stdin = Readable.from([gz.subarray(0, 1), gz.subarray(1, 2), gz.subarray(2)]);
    const { lines, summaries } = await readAll(['-'], { stdin });
    expect(lines).toEqual([{ kind: 'line', file: '-', line: 1, text: '{"s":"byte-by-byte"}' }]);
    expect(summaries[0]?.gzip).toBe(true);
  });

  it('§2 a line split across many chunks, with CRLF split between chunks, is reassembled', async () => {
    const stdin = Readable.from([utf8('{"s":"sp'), utf8('lit"}\r'), utf8('\n{"s":"next"}\r\n')]);
    const { lines } = await readAll(['-'], { stdin });
    expect(lines).toEqual([
      { kind: 'line', file: '-', line: 1, text: '{"s":"split"}' },
      { kind: 'line', file: '-', line: 2, text: '{"s":"next"}' },
    ]);
  });

  it('§4.8 numbering restarts at 1 in each file, and onFile reports each file in order', async () => {
    const first = write('first.ndjson', '{"f":1}\n\n{"f":3}\n');
    const second = write('second.ndjson.gz', gzipSync(utf8('{"f":"s1"}\n')));
    const { lines, summaries } = await readAll([first, second]);
    expect(lines).toEqual([
      { kind: 'line', file: first, line: 1, text: '{"f":1}' },
      { kind: 'line', file: first, line: 3, text: '{"f":3}' },
      { kind: 'line', file: second, line: 1, text: '{"f":"s1"}' },
    ]);
    expect(summaries).toEqual([
      { file: first, lines: 3, gzip: false, truncated: null },
      { file: second, lines: 1, gzip: true, truncated: null },
    ]);
  });

  it.each([
    { name: '§7 skip leaves out the settled lines and keeps the numbering of the others', skipLines: [2, 4], expected: [1, 3, 5] },
    { name: '§7 skip of line 1 (the line with the BOM) leaves lines 2..5 intact', skipLines: [1], expected: [2, 3, 4, 5] },
    { name: '§7 skip of every line emits nothing', skipLines: [1, 2, 3, 4, 5], expected: [] },
  ])('$name', async ({ skipLines, expected }) => {
    const path = write(`skip-${skipLines.join('-')}.ndjson`, Buffer.concat([BOM, utf8('{"i":1}\n{"i":2}\n{"i":3}\n{"i":4}\n{"i":5}\n')]));
    const asked: Array<[string, number]> = [];
    const { lines, summaries } = await readAll([path], { skip: (file, line) => (asked.push([file, line]), skipLines.includes(line)) });
    expect(lines).toEqual(expected.map((n) => ({ kind: 'line', file: path, line: n, text: `{"i":${n}}` })));
    expect(asked).toEqual([1, 2, 3, 4, 5].map((n) => [path, n]));
    expect(summaries[0]?.lines).toBe(5);
  });

  it('§7 skip also applies to stdin lines under the name "-"', async () => {
    const stdin = Readable.from([utf8('{"q":1}\n{"q":2}\n')]);
    const { lines } = await readAll(['-'], { stdin, skip: (file, line) => file === '-' && line === 1 });
    expect(lines).toEqual([{ kind: 'line', file: '-', line: 2, text: '{"q":2}' }]);
  });
});

describe('§1 expandInputs: files, directories, stdin', () => {
  let tree: string;
  beforeAll(() => {
    tree = join(dir, 'segment-logs');
    const files: Record<string, string | Buffer> = {
      'b.ndjson': '',
      'a.jsonl': '',
      'c.json.gz': gzipSync(''),
      'd.gz': gzipSync(''),
      'e.ndjson.gz': gzipSync(''),
      'f.json': '',
      'notes.txt': '',
      'manifest.csv': '',
      'g.ndjson.bak': '',
      'h.jsonl.gz': gzipSync(''),
      'Upper.NDJSON': '',
      'aa/x.ndjson': '',
      'src_1/2026-11-29/part-0002.gz': gzipSync(''),
      'src_1/2026-11-29/part-0001.gz': gzipSync(''),
      'src_1/2026-11-29/README.md': '',
      'src_1/2026-11-28/part-0009.gz': gzipSync(''),
      'zz-empty-dir/.keep': '',
    };
    for (const [rel, content] of Object.entries(files)) {
      const path = join(tree, rel);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, content);
    }
  });

  it('§1 a directory is walked recursively in sorted order, picking .ndjson/.jsonl/.json (optionally .gz) and bare .gz', async () => {
    expect(await expandInputs([tree])).toEqual(
      [
        'Upper.NDJSON',
        'a.jsonl',
        'aa/x.ndjson',
        'b.ndjson',
        'c.json.gz',
        'd.gz',
        'e.ndjson.gz',
        'f.json',
        'h.jsonl.gz',
        'src_1/2026-11-28/part-0009.gz',
        'src_1/2026-11-29/part-0001.gz',
        'src_1/2026-11-29/part-0002.gz',
      ].map((rel) => join(tree, rel)),
    );
  });

  it('§1 files are kept as given (any name), directories expanded in place, "-" kept for stdin', async () => {
    const explicit = write('explicit.txt', '');
    expect(await expandInputs([explicit, '-', join(tree, 'aa')])).toEqual([explicit, '-', join(tree, 'aa', 'x.ndjson')]);
  });

  it('§1 a missing input is an InputError naming it', async () => {
    const missing = join(dir, 'no-such-day.ndjson.gz');
    const error = await expandInputs([missing]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(missing);
  });

  it('§1 symbolic links inside a folder are followed: a linked file and a linked folder are read, each real file once', async () => {
    const root = join(dir, 'linked-logs');
    const elsewhere = join(dir, 'linked-elsewhere');
    mkdirSync(join(root, 'day-1'), { recursive: true });
    mkdirSync(join(elsewhere, 'day-2'), { recursive: true });
    writeFileSync(join(root, 'day-1', 'own.ndjson'), '');
    writeFileSync(join(elsewhere, 'shared.ndjson'), '');
    writeFileSync(join(elsewhere, 'day-2', 'part.ndjson'), '');
    symlinkSync(join(elsewhere, 'shared.ndjson'), join(root, 'a-link.ndjson'));
    symlinkSync(join(elsewhere, 'shared.ndjson'), join(root, 'b-second-link.ndjson'));
    symlinkSync(join(elsewhere, 'day-2'), join(root, 'day-2'));
    // A link back up the tree: walked once, not forever.
    symlinkSync(root, join(root, 'day-2-loop'));
    expect(await expandInputs([root])).toEqual([join(root, 'a-link.ndjson'), join(root, 'day-1', 'own.ndjson'), join(root, 'day-2', 'part.ndjson')]);
  });

  it.each([
    ['a broken link inside a folder', () => {
      const root = join(dir, 'broken-link-logs');
      mkdirSync(root, { recursive: true });
      symlinkSync(join(dir, 'gone.ndjson'), join(root, 'part.ndjson'));
      return { input: root, named: join(root, 'part.ndjson'), why: 'no such file or directory (ENOENT)' };
    }],
    ['a symbolic link loop given directly', () => {
      const a = join(dir, 'loop-1.ndjson');
      symlinkSync(join(dir, 'loop-2.ndjson'), a);
      symlinkSync(a, join(dir, 'loop-2.ndjson'));
      return { input: a, named: a, why: 'a symbolic link loop (too many levels of links) (ELOOP)' };
    }],
  ])('§1 %s is an InputError naming the link and saying why', async (_name, make) => {
    const { input, named, why } = make();
    const error = await expandInputs([input]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(`input ${named}`);
    expect((error as Error).message).toContain(why);
  });
});
