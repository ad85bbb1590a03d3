/**
 * A damaged gzip input keeps every complete line `zcat` gives for it (README "Inputs": a truncated
 * gzip keeps what was read, rejects the tail, reports it). zlib's own gunzip dropped the last piece
 * it had decoded when the fault came after it: 27,262 of 30,000 lines kept for 14 bytes of
 * trailing garbage. The oracle here is zlib.gunzipSync of the undamaged bytes (zcat writes a
 * member's data before it checks the trailer), or of the cut stream up to what decodes. For damaged
 * deflate data it is what zlib decodes before the fault; zcat (gzip 1.12) writes out its 32 KiB
 * windows and drops the one it was filling, a few lines fewer: 410, 7130, 11598 and 16449 lines for
 * the four damaged files below, against 481, 7210, 11653 and 16501 kept here (and 0, 6519, 6519,
 * 12000 before each call's output was recovered).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, type ReadOptions } from '../../../src/input/read.js';
import type { FileSummary, InputLine } from '../../../src/input/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mpx-gzip-tail-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Distinct lines that compress only about 2:1, so the gzip spans several 1 MiB reads. */
function ndjson(first: number, count: number, lastNewline = true): Buffer {
  const lines: string[] = [];
  for (let n = first; n < first + count; n += 1) lines.push(JSON.stringify({ messageId: `m-${n}`, hash: createHash('sha256').update(String(n)).digest('hex').repeat(2) }));
  return Buffer.from(lines.join('\n') + (lastNewline ? '\n' : ''));
}

const FIRST = ndjson(0, 12_000);
const SECOND = ndjson(12_000, 9_000);
const GARBAGE = Buffer.from('GARBAGE-BYTES!');
const one = gzipSync(FIRST);
const multi = Buffer.concat([gzipSync(FIRST), gzipSync(SECOND)]);

function flipped(gz: Buffer, fromEnd: number): Buffer {
  const copy = Buffer.from(gz);
  copy[copy.length - fromEnd] = copy[copy.length - fromEnd]! ^ 0x5a;
  return copy;
}

/** A member whose header carries every optional field (extra, name, comment, header CRC). */
function withHeaderFields(gz: Buffer): Buffer {
  const header = Buffer.from(gz.subarray(0, 10));
  header[3] = 0x02 | 0x04 | 0x08 | 0x10;
  const extra = Buffer.from([4, 0, 0x41, 0x42, 2, 0]);
  return Buffer.concat([header, extra, Buffer.from('day-1.ndjson\0a comment\0'), Buffer.from([0x12, 0x34]), gz.subarray(10)]);
}

/** A member's deflate data (gzipSync writes a 10-byte header). */
function deflateOf(member: Buffer): Buffer {
  return member.subarray(10, member.length - 8);
}

/** zlib's output for the first `length` bytes of deflate data; null when it rejects them. */
function inflatedPrefix(deflate: Buffer, length: number): Buffer | null {
  try {
    return inflateRawSync(deflate.subarray(0, length), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return null;
  }
}

/** What zlib decodes of a member before its deflate data fails: the output of the longest prefix it accepts. */
function decodable(member: Buffer): Buffer {
  const deflate = deflateOf(member);
  let low = 0;
  for (let high = deflate.length; low < high; ) {
    const middle = Math.ceil((low + high) / 2);
    if (inflatedPrefix(deflate, middle) !== null) low = middle;
    else high = middle - 1;
  }
  return inflatedPrefix(deflate, low)!;
}

/** A member with one byte flipped: the first at or after `fraction` of it that zlib rejects (most flips only change the data). */
function damaged(member: Buffer, fraction: number): Buffer {
  for (let at = Math.floor(member.length * fraction); ; at += 1) {
    const copy = Buffer.from(member);
    copy[at] = copy[at]! ^ 0xff;
    if (inflatedPrefix(deflateOf(copy), copy.length) === null) return copy;
  }
}

/** What zcat prints, cut to its lines: complete ones, and the unterminated last one when the data checked out. */
function zcatLines(decoded: Buffer, lastLineStands: boolean): string[] {
  const pieces = decoded.toString('utf8').split('\n');
  const tail = pieces.pop()!;
  return lastLineStands && tail !== '' ? [...pieces, tail] : pieces;
}

async function readAll(files: readonly string[], options: ReadOptions = {}): Promise<{ lines: InputLine[]; summaries: FileSummary[] }> {
  const lines: InputLine[] = [];
  const summaries: FileSummary[] = [];
  for await (const batch of readLines(files, { ...options, onFile: (s) => summaries.push(s) })) lines.push(...batch);
  return { lines, summaries };
}

const cut = one.subarray(0, Math.floor(one.length * 0.6));
const damagedEarly = damaged(one, 0.04);
const damagedMiddle = damaged(one, 0.6);
const damagedLate = damaged(one, 0.97);
const damagedSecond = damaged(gzipSync(SECOND), 0.5);
const unterminated = ndjson(40_000, 3_000, false);

describe('§2 a damaged gzip keeps every complete line zcat gives, and reports the damage', () => {
  type Case = { name: string; bytes: Buffer; zcat: Buffer; lastLineStands: boolean; report: RegExp | null; badTail: boolean };
  const cases: Case[] = [
    { name: 'trailing garbage after one member', bytes: Buffer.concat([one, GARBAGE]), zcat: gunzipSync(one), lastLineStands: true, report: /trailing garbage .*after member 1.*; kept all 12000 lines/, badTail: false },
    { name: 'a bad CRC-32 in the trailer', bytes: flipped(one, 6), zcat: gunzipSync(one), lastLineStands: false, report: /member 1 is damaged \(incorrect data check.*; kept the 12000 complete lines/, badTail: false },
    { name: 'a bad length (ISIZE) in the trailer', bytes: flipped(one, 2), zcat: gunzipSync(one), lastLineStands: false, report: /member 1 is damaged \(incorrect length check.*; kept the 12000 complete lines/, badTail: false },
    { name: 'truncated mid-stream', bytes: cut, zcat: gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }), lastLineStands: false, report: /ended early \(unexpected end of file\); kept the \d+ complete lines/, badTail: true },
    { name: 'multi-member (concatenated gzip files)', bytes: multi, zcat: gunzipSync(multi), lastLineStands: true, report: null, badTail: false },
    { name: 'multi-member followed by garbage', bytes: Buffer.concat([multi, GARBAGE]), zcat: gunzipSync(multi), lastLineStands: true, report: /trailing garbage .*after member 2.*; kept all 21000 lines/, badTail: false },
    { name: 'multi-member with zero padding after the last member', bytes: Buffer.concat([multi, Buffer.alloc(512)]), zcat: gunzipSync(multi), lastLineStands: true, report: null, badTail: false },
    { name: 'trailing garbage after a last line with no newline: the line checked out and is kept', bytes: Buffer.concat([gzipSync(unterminated), GARBAGE]), zcat: unterminated, lastLineStands: true, report: /trailing garbage.*; kept all 3000 lines/, badTail: false },
    { name: 'damaged deflate data inside the first 64 KiB', bytes: damagedEarly, zcat: decodable(damagedEarly), lastLineStands: false, report: /member 1 is damaged \(invalid .*\); kept the \d+ complete lines/, badTail: true },
    { name: 'damaged deflate data at 60 %', bytes: damagedMiddle, zcat: decodable(damagedMiddle), lastLineStands: false, report: /member 1 is damaged \(invalid .*\); kept the \d+ complete lines/, badTail: true },
    { name: 'damaged deflate data near the end', bytes: damagedLate, zcat: decodable(damagedLate), lastLineStands: false, report: /member 1 is damaged \(invalid .*\); kept the \d+ complete lines/, badTail: true },
    { name: 'damaged deflate data in the second member', bytes: Buffer.concat([gzipSync(FIRST), damagedSecond]), zcat: Buffer.concat([FIRST, decodable(damagedSecond)]), lastLineStands: false, report: /member 2 is damaged \(invalid .*\); kept the \d+ complete lines/, badTail: true },
    { name: 'a bad CRC-32 after a last line with no newline: that tail is rejected', bytes: flipped(gzipSync(unterminated), 6), zcat: unterminated, lastLineStands: false, report: /incorrect data check.*; kept the 2999 complete lines/, badTail: true },
  ];

  it.each(cases)('$name', async ({ name, bytes, zcat, lastLineStands, report, badTail }) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.gz`);
    writeFileSync(path, bytes);
    const { lines, summaries } = await readAll([path]);
    const expected = zcatLines(zcat, lastLineStands);
    expect(expected.length).toBeGreaterThan(300);
    expect(lines.filter((l) => l.kind === 'line').map((l) => (l.kind === 'line' ? l.text : ''))).toEqual(expected);
    expect(lines.filter((l) => l.kind === 'bad').map((l) => l.line)).toEqual(badTail ? [expected.length + 1] : []);
    expect(summaries).toEqual([{ file: path, lines: expected.length + (badTail ? 1 : 0), gzip: true, truncated: report === null ? null : expect.stringMatching(report) }]);
  });
});

describe('§2 gzip headers and members split across tiny reads (a pipe)', () => {
  it('every optional header field is skipped, every member read, the garbage reported', async () => {
    const first = Buffer.from('{"p":"pipe-1"}\n{"p":"pipe-2"}\n');
    const second = Buffer.from('{"p":"pipe-3"}\n');
    const bytes = Buffer.concat([withHeaderFields(gzipSync(first)), withHeaderFields(gzipSync(second)), GARBAGE]);
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 3) pieces.push(bytes.subarray(at, at + 3));
    const { lines, summaries } = await readAll(['-'], { stdin: Readable.from(pieces) });
    expect(lines).toEqual(['{"p":"pipe-1"}', '{"p":"pipe-2"}', '{"p":"pipe-3"}'].map((text, i) => ({ kind: 'line', file: '-', line: i + 1, text })));
    expect(summaries).toEqual([{ file: '-', lines: 3, gzip: true, truncated: expect.stringMatching(/trailing garbage .*after member 2/) }]);
  });
});

describe('§2 a damaged gzip given as the path of a named pipe is not opened again', () => {
  it('the read ends with what was decoded and reports the damage (a second open would wait for a writer)', async () => {
    const fifo = join(dir, 'damaged.fifo');
    execFileSync('mkfifo', [fifo]);
    // Damage near the end: the writer is done and gone by the time the reader meets it.
    const writing = writeFile(fifo, damagedLate);
    const { lines, summaries } = await readAll([fifo]);
    await writing;
    const texts = lines.filter((l) => l.kind === 'line').map((l) => (l.kind === 'line' ? l.text : ''));
    const decoded = decodable(damagedLate);
    expect(texts).toEqual(zcatLines(decoded, false).slice(0, texts.length));
    // A pipe cannot be decoded again up to the failing byte: at most the last 1 MiB of output is lost (README).
    expect(texts.length).toBeGreaterThanOrEqual(zcatLines(decoded.subarray(0, Math.max(0, decoded.length - (1 << 20))), false).length);
    expect(summaries).toEqual([{ file: fifo, lines: expect.any(Number), gzip: true, truncated: expect.stringMatching(new RegExp(`member 1 is damaged \\(invalid .*\\); kept the ${texts.length} complete lines`)) }]);
  });
});
