/**
 * Which inputs a journal entry belongs to (issue 15): local files are keyed by their absolute
 * path, so any spelling of one file finds its entry; a journal written with relative keys is read
 * relative to the working directory; a checkpoint holding inputs this run does not name is
 * refused unless forced; an input that only had lines appended resumes, one that grew otherwise is refused saying so. Against `Checkpoint` directly, with temporary files.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Checkpoint, checkpointScope } from '../../../src/run/checkpoint.js';
import { CheckpointError } from '../../../src/errors.js';

const SCOPE = checkpointScope({ people: true }, 'original', { types: null, fromMs: null, toMs: null });

let root: string;
let dir: string;
let journalPath: string;
/** Absolute paths of two inputs. */
let fileA: string;
let fileB: string;
let caseNumber = 0;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'mpx-checkpoint-inputs-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  caseNumber += 1;
  dir = join(root, `case-${caseNumber}`);
  mkdirSync(dir);
  journalPath = join(dir, 'run.checkpoint');
  fileA = join(dir, 'a.ndjson');
  fileB = join(dir, 'b.ndjson');
  writeFileSync(fileA, '{"type":"track","event":"a1"}\n{"type":"track","event":"a2"}\n{"type":"track","event":"a3"}\n');
  writeFileSync(fileB, '{"type":"track","event":"b1"}\n');
});

function journalKeys(): string[] {
  return Object.keys(JSON.parse(readFileSync(journalPath, 'utf8')).files);
}

async function settleAndClose(files: readonly string[], settle: readonly [string, number][]): Promise<void> {
  const checkpoint = await Checkpoint.open(journalPath, SCOPE, files, false);
  for (const [file, line] of settle) checkpoint.settle(file, line);
  await checkpoint.flush();
}

describe('a local input is keyed by its absolute path', () => {
  it.each([
    { first: 'relative', again: 'with ./', spell: (file: string) => `./${relative(process.cwd(), file)}` },
    { first: 'relative', again: 'absolute', spell: (file: string) => file },
    { first: 'relative', again: 'through ..', spell: (file: string) => join(relative(process.cwd(), dir), '..', `case-${caseNumber}`, 'a.ndjson') },
  ])('settled as $first, reopened $again: the same entry, its lines settled', async ({ spell }) => {
    const typed = relative(process.cwd(), fileA);
    await settleAndClose([typed], [[typed, 1], [typed, 2]]);

    const reopened = await Checkpoint.open(journalPath, SCOPE, [spell(fileA)], false);

    expect([1, 2, 3].map((line) => reopened.isSettled(spell(fileA), line))).toEqual([true, true, false]);
    expect(journalKeys()).toEqual([fileA]);
  });

  it('a journal written with relative keys (before they were resolved) is read relative to the working directory', async () => {
    await settleAndClose([fileA], [[fileA, 1]]);
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    const typed = relative(process.cwd(), fileA);
    journal.files = { [typed]: journal.files[fileA] };
    writeFileSync(journalPath, JSON.stringify(journal));

    const reopened = await Checkpoint.open(journalPath, SCOPE, [fileA], false);

    expect([reopened.isSettled(fileA, 1), reopened.isSettled(fileA, 2)]).toEqual([true, false]);
    expect(journalKeys()).toEqual([fileA]);
  });
  it('two old keys naming one file (typed two ways): their settled lines and acknowledged records are merged, none dropped', async () => {
    await settleAndClose([fileA], []);
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    const identity = { size: journal.files[fileA].size, head: journal.files[fileA].head };
    const typed = relative(process.cwd(), fileA);
    journal.files = {
      [typed]: { ...identity, through: 1, extra: [], acked: { 3: [1] } },
      [`./${typed}`]: { ...identity, through: 0, extra: [2], acked: { 3: [0] } },
    };
    writeFileSync(journalPath, JSON.stringify(journal));

    const reopened = await Checkpoint.open(journalPath, SCOPE, [fileA], false);

    expect([1, 2, 3].map((line) => reopened.isSettled(fileA, line))).toEqual([true, true, false]);
    expect([0, 1, 2].map((position) => reopened.isAcknowledged(fileA, 3, position))).toEqual([true, true, false]);
  });
});

describe('a checkpoint whose inputs this run does not name', () => {
  it('refused (CheckpointError) naming the inputs it holds and this run\'s, and --force; the journal is left as it was', async () => {
    await settleAndClose([fileA], [[fileA, 1]]);
    const before = readFileSync(journalPath, 'utf8');

    const opening = Checkpoint.open(journalPath, SCOPE, [fileB], false);

    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(opening).rejects.toThrow(`checkpoint ${journalPath} holds inputs this run does not name: ${fileA} (this run: ${fileB}); going on would drop their journal`);
    await expect(opening).rejects.toThrow(/--force/);
    expect(readFileSync(journalPath, 'utf8')).toBe(before);
  });

  it('--force opens it for this run\'s inputs, and the inputs it no longer names are dropped', async () => {
    await settleAndClose([fileA], [[fileA, 1]]);

    const forced = await Checkpoint.open(journalPath, SCOPE, [fileB], true);

    expect(forced.isSettled(fileB, 1)).toBe(false);
    expect(journalKeys()).toEqual([fileB]);
  });

  it('an input added to the same inputs is simply new: accepted, the others keep their lines', async () => {
    await settleAndClose([fileA], [[fileA, 1]]);

    const widened = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);

    expect([widened.isSettled(fileA, 1), widened.isSettled(fileB, 1)]).toEqual([true, false]);
  });
});

describe('an input that grew since the checkpoint', () => {
  const APPENDED = '{"type":"track","event":"a4"}\n';

  it('lines appended after a complete last line: opened, its settled lines stand, the rest is read, with a notice', async () => {
    await settleAndClose([fileA], [[fileA, 1], [fileA, 3]]);
    const size = readFileSync(fileA).length;
    appendFileSync(fileA, APPENDED);

    const reopened = await Checkpoint.open(journalPath, SCOPE, [fileA], false);

    expect([1, 2, 3, 4].map((line) => reopened.isSettled(fileA, line))).toEqual([true, false, true, false]);
    expect(reopened.notices).toEqual([`${fileA} grew since checkpoint ${journalPath} was written (${size} → ${size + APPENDED.length} bytes, lines appended): resuming after the lines it had settled`]);
    expect(JSON.parse(readFileSync(journalPath, 'utf8')).files[fileA].size).toBe(size + APPENDED.length);
  });

  /** Drop the recorded tail, as in a journal written before it was recorded. */
  const withoutTail = (): void => {
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    delete journal.files[fileA].tail;
    writeFileSync(journalPath, JSON.stringify(journal));
  };
  /** The last line without its newline when the checkpoint was written: appending continues that line. */
  const unterminated = (): void => writeFileSync(fileA, readFileSync(fileA, 'utf8').trimEnd());

  it.each([
    { rule: 'a journal that predates recording the end of a file', before: () => undefined, after: withoutTail },
    { rule: 'an old size that ended inside a line', before: unterminated, after: () => undefined },
  ])('grown, but not provably only appended ($rule): refused saying it grew, from and to how many bytes, and what --force does', async ({ before, after }) => {
    before();
    await settleAndClose([fileA], [[fileA, 1]]);
    after();
    const size = readFileSync(fileA).length;
    appendFileSync(fileA, APPENDED);

    const opening = Checkpoint.open(journalPath, SCOPE, [fileA], false);

    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(opening).rejects.toThrow(`input ${fileA} changed since checkpoint ${journalPath} was written (it grew from ${size} to ${size + APPENDED.length} bytes, its first ${size} as they were`);
    await expect(opening).rejects.toThrow('--force starts it over from its first line');
  });

  it.each([
    { change: 'larger, its first line rewritten', rewrite: (text: string) => text.replace('a1', 'z1') + APPENDED },
    { change: 'smaller', rewrite: (text: string) => text.slice(0, 10) },
    { change: 'same size, other content', rewrite: (text: string) => text.replace('a1', 'z1') },
  ])('$change: refused as changed, not as grown', async ({ rewrite }) => {
    await settleAndClose([fileA], [[fileA, 1]]);
    writeFileSync(fileA, rewrite(readFileSync(fileA, 'utf8')));

    const opening = Checkpoint.open(journalPath, SCOPE, [fileA], false);

    await expect(opening).rejects.toThrow(`input ${fileA} changed since checkpoint ${journalPath} was written (size or content differs); use --force`);
  });
});
