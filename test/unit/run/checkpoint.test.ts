/**
 * The resume journal (SPEC §7, issue 4): settled lines per input file with a watermark,
 * written atomically, reloaded by a re-run, refused when the scope or an input file changed
 * (unless forced), never used with stdin, and a clear error for a file that is not a journal.
 * Against `Checkpoint` directly, with temporary files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Checkpoint, checkpointScope, type CheckpointScope } from '../../../src/run/checkpoint.js';
import { CheckpointError } from '../../../src/errors.js';

const NO_FILTER = { types: null, fromMs: null, toMs: null };
const SCOPE: CheckpointScope = checkpointScope({ people: true }, 'original', NO_FILTER);

let root: string;
let dir: string;
let journalPath: string;
let fileA: string;
let fileB: string;
let caseNumber = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mpx-checkpoint-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh directory per test: two input files and the journal's path (not created). */
beforeEach(() => {
  caseNumber += 1;
  dir = join(root, `case-${caseNumber}`);
  mkdirSync(dir);
  journalPath = join(dir, 'run.checkpoint');
  fileA = join(dir, 'a.ndjson');
  fileB = join(dir, 'b.ndjson');
  writeFileSync(fileA, lines('a', 10));
  writeFileSync(fileB, lines('b', 5));
});

function lines(tag: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `{"type":"track","event":"${tag}","messageId":"${tag}-${i + 1}"}\n`).join('');
}

/** The journal as written on disk. */
function onDisk(): { version: number; scope: string; files: Record<string, { size: number; head: string; through: number; extra: number[] }> } {
  return JSON.parse(readFileSync(journalPath, 'utf8'));
}

function settledLines(checkpoint: Checkpoint, file: string, upTo: number): number[] {
  return Array.from({ length: upTo }, (_, i) => i + 1).filter((line) => checkpoint.isSettled(file, line));
}

async function openWithSettled(settled: Record<string, number[]>): Promise<void> {
  const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);
  for (const [file, lineNumbers] of Object.entries(settled)) for (const line of lineNumbers) checkpoint.settle(file, line);
  await checkpoint.flush();
}

/** Resolves once the journal on disk has `fileA` settled through `line` (polled every 2 ms). */
async function onDiskThrough(line: number): Promise<number> {
  for (;;) {
    const through = onDisk().files[fileA]!.through;
    if (through >= line) return through;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('how often the journal is written', () => {
  it('a change nobody waits for is not written back to back after the last write (it waits 200 ms, or for a caller)', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA], false);
    checkpoint.settle(fileA, 1);
    checkpoint.settle(fileA, 2); // during the write of line 1

    // The first write holds line 1 or both; when it holds only line 1, line 2 is not written yet.
    const first = await onDiskThrough(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onDisk().files[fileA]!.through).toBe(first);
    await checkpoint.flush();
    expect(onDisk().files[fileA]!.through).toBe(2);
  });

  it('written() ends the pause: the change it waits for is written at once, not after the interval', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA], false);
    checkpoint.settle(fileA, 1);
    await checkpoint.written();
    checkpoint.settle(fileA, 2);
    checkpoint.settle(fileA, 3);
    await onDiskThrough(2);

    const started = performance.now();
    await checkpoint.written();

    expect({ through: onDisk().files[fileA]!.through, fast: performance.now() - started < 150 }).toEqual({ through: 3, fast: true });
  });

  it('flush() ends the pause too, and leaves nothing unwritten', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA], false);
    for (const line of [1, 2, 3, 4]) checkpoint.settle(fileA, line);
    await onDiskThrough(1);

    const started = performance.now();
    await checkpoint.flush();

    expect({ through: onDisk().files[fileA]!.through, fast: performance.now() - started < 150 }).toEqual({ through: 4, fast: true });
  });
});

describe('settled lines and the watermark', () => {
  it.each([
    { order: [1, 2, 3], through: 3, extra: [] },
    { order: [3, 1, 4], through: 1, extra: [3, 4] },
    { order: [2, 4, 5], through: 0, extra: [2, 4, 5] },
    { order: [3, 1, 4, 2], through: 4, extra: [] },
    { order: [5, 4, 3, 2, 1], through: 5, extra: [] },
    { order: [1, 1, 3, 3], through: 1, extra: [3] },
  ])('settling lines $order out of order leaves through=$through and extra=$extra', async ({ order, through, extra }) => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA], false);
    for (const line of order) checkpoint.settle(fileA, line);
    await checkpoint.flush();

    expect(settledLines(checkpoint, fileA, 10)).toEqual([...new Set(order)].sort((a, b) => a - b));
    expect({ through: onDisk().files[fileA]!.through, extra: onDisk().files[fileA]!.extra }).toEqual({ through, extra });
  });

  it('a new checkpoint settles nothing, in any file', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);

    expect(settledLines(checkpoint, fileA, 10)).toEqual([]);
    expect(settledLines(checkpoint, fileB, 5)).toEqual([]);
  });

  it('settled lines are persisted per file and reloaded by the next open with the same scope and files', async () => {
    await openWithSettled({ [fileA]: [1, 2, 3, 7], [fileB]: [2] });

    const reopened = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);

    expect(settledLines(reopened, fileA, 10)).toEqual([1, 2, 3, 7]);
    expect(settledLines(reopened, fileB, 5)).toEqual([2]);
  });

  it('a reloaded journal keeps accumulating: lines settled by the second run join the first run\'s', async () => {
    await openWithSettled({ [fileA]: [1, 2, 5] });

    const second = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);
    for (const line of [3, 4, 6]) second.settle(fileA, line);
    await second.flush();

    expect(onDisk().files[fileA]).toMatchObject({ through: 6, extra: [] });
    const third = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);
    expect(settledLines(third, fileA, 10)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('the journal records each file\'s identity (size and head fingerprint) and the run\'s scope', async () => {
    await openWithSettled({ [fileA]: [1] });

    const journal = onDisk();
    expect(journal.version).toBe(1);
    expect(journal.scope).toBe(SCOPE.fingerprint);
    expect(journal.files[fileA]!.size).toBe(readFileSync(fileA).length);
    expect(journal.files[fileB]!.size).toBe(readFileSync(fileB).length);
    expect(journal.files[fileA]!.head).not.toBe(journal.files[fileB]!.head);
  });
});

describe('atomic writes', () => {
  it('after flush the journal is complete JSON and no .tmp file is left behind', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);
    for (let line = 1; line <= 10; line += 1) checkpoint.settle(fileA, line);
    await checkpoint.flush();

    expect(readdirSync(dir).sort()).toEqual(['a.ndjson', 'b.ndjson', 'run.checkpoint']);
    expect(onDisk().files[fileA]).toMatchObject({ through: 10, extra: [] });
  });

  it('settling without awaiting schedules the write itself: the file appears without flush', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA], false);
    checkpoint.settle(fileA, 1);

    // open() already wrote the file (through 0): the settled line must reach it without flush().
    await expect.poll(() => onDisk().files[fileA]?.through, { timeout: 2000 }).toBe(1);
    await checkpoint.flush();
    expect(readdirSync(dir)).not.toContain('run.checkpoint.tmp');
  });

  it('opening writes the journal at once, with nothing settled, so a bad path is refused before anything is sent', async () => {
    await Checkpoint.open(journalPath, SCOPE, [fileA], false);

    expect(readdirSync(dir)).toContain('run.checkpoint');
    expect(JSON.parse(readFileSync(journalPath, 'utf8')).files[fileA]).toMatchObject({ through: 0, extra: [] });
  });

  it('a journal path that cannot be written is refused when opening (CheckpointError)', async () => {
    await expect(Checkpoint.open(join(dir, 'missing-folder', 'run.checkpoint'), SCOPE, [fileA], false)).rejects.toThrow(CheckpointError);
  });
});

describe('refusal: a checkpoint from another scope (settings, identity mode, filters)', () => {
  it.each([
    { change: 'other settings', scope: checkpointScope({ people: false }, 'original', NO_FILTER) },
    { change: 'other identity mode', scope: checkpointScope({ people: true }, 'simplified', NO_FILTER) },
    { change: 'other --types', scope: checkpointScope({ people: true }, 'original', { types: ['track'], fromMs: null, toMs: null }) },
    { change: 'other --from', scope: checkpointScope({ people: true }, 'original', { types: null, fromMs: 1, toMs: null }) },
    { change: '--skip-device-mode', scope: checkpointScope({ people: true }, 'original', { ...NO_FILTER, skipDeviceMode: true }) },
  ])('$change: refused with a message naming both scopes and --force', async ({ scope }) => {
    await openWithSettled({ [fileA]: [1, 2] });

    const opening = Checkpoint.open(journalPath, scope, [fileA, fileB], false);

    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(opening).rejects.toThrow(/other settings/);
    await expect(opening).rejects.toThrow(SCOPE.describe);
    await expect(opening).rejects.toThrow(scope.describe);
    await expect(opening).rejects.toThrow(/--force/);
  });

  it('the same settings, identity and filters reopen the journal without --force', async () => {
    await openWithSettled({ [fileA]: [1] });

    // Without --skip-device-mode the scope is the one journals had before the flag existed.
    const same = checkpointScope({ people: true }, 'original', { ...NO_FILTER, skipDeviceMode: false });
    const reopened = await Checkpoint.open(journalPath, same, [fileA, fileB], false);

    expect(settledLines(reopened, fileA, 10)).toEqual([1]);
  });

  it('--force accepts a checkpoint from another scope, and what it writes then carries the new scope', async () => {
    await openWithSettled({ [fileA]: [1, 2] });
    const other = checkpointScope({ people: false }, 'simplified', NO_FILTER);

    const forced = await Checkpoint.open(journalPath, other, [fileA, fileB], true);
    forced.settle(fileB, 1);
    await forced.flush();

    expect(onDisk().scope).toBe(other.fingerprint);
    await expect(Checkpoint.open(journalPath, other, [fileA, fileB], false)).resolves.toBeInstanceOf(Checkpoint);
    await expect(Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false)).rejects.toThrow(CheckpointError);
  });
});

describe('refusal: an input file changed since the checkpoint was written', () => {
  it.each([
    { change: 'same size, different head', rewrite: (text: string) => text.replace('"a-1"', '"z-1"'), sameSize: true },
    { change: 'different size (a line rewritten, lines appended)', rewrite: (text: string) => text.replace('"a-1"', '"z-1"') + lines('c', 2), sameSize: false },
    { change: 'different size (truncated)', rewrite: (text: string) => text.slice(0, text.length - 20), sameSize: false },
  ])('$change: refused with a message naming the file and --force', async ({ rewrite, sameSize }) => {
    await openWithSettled({ [fileA]: [1, 2, 3], [fileB]: [1] });
    const before = readFileSync(fileA, 'utf8');
    const after = rewrite(before);
    expect(after).not.toBe(before);
    expect(Buffer.byteLength(after) === Buffer.byteLength(before)).toBe(sameSize);
    writeFileSync(fileA, after);

    const opening = Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);

    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(opening).rejects.toThrow(`input ${fileA} changed`);
    await expect(opening).rejects.toThrow(/--force/);
  });


  it('--force starts the changed file over and keeps the unchanged file\'s settled lines', async () => {
    await openWithSettled({ [fileA]: [1, 2, 3], [fileB]: [1, 2] });
    writeFileSync(fileA, lines('z', 12));

    const forced = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], true);

    expect(settledLines(forced, fileA, 12)).toEqual([]);
    expect(settledLines(forced, fileB, 5)).toEqual([1, 2]);
    forced.settle(fileA, 1);
    await forced.flush();
    expect(onDisk().files[fileA]).toMatchObject({ size: readFileSync(fileA).length, through: 1, extra: [] });
    // The new identity is recorded: the next run without --force is accepted.
    const next = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);
    expect(settledLines(next, fileA, 12)).toEqual([1]);
  });

  it('a file not in the earlier run is simply new: nothing settled, no refusal', async () => {
    const checkpoint = await Checkpoint.open(journalPath, SCOPE, [fileA], false);
    checkpoint.settle(fileA, 1);
    await checkpoint.flush();

    const widened = await Checkpoint.open(journalPath, SCOPE, [fileA, fileB], false);

    expect(settledLines(widened, fileA, 10)).toEqual([1]);
    expect(settledLines(widened, fileB, 5)).toEqual([]);
  });
});

describe('inputs a checkpoint cannot be used with', () => {
  it.each([{ force: false }, { force: true }])('stdin (-) is refused (force: $force)', async ({ force }) => {
    const opening = Checkpoint.open(journalPath, SCOPE, [fileA, '-'], force);

    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(opening).rejects.toThrow(/--checkpoint cannot be used with stdin/);
  });
});

describe('a checkpoint file that is not a journal', () => {
  it.each([
    { what: 'not JSON', text: '{"version":1,"files":' },
    { what: 'empty', text: '' },
    { what: 'JSON null', text: 'null' },
    { what: 'another version', text: JSON.stringify({ version: 2, scope: 'x', scopeDescription: 'x', files: {} }) },
    { what: 'no files', text: JSON.stringify({ version: 1, scope: 'x', scopeDescription: 'x' }) },
    { what: 'some other JSON document', text: JSON.stringify({ name: 'package' }) },
  ])('$what: a clear CheckpointError naming the file, with or without --force', async ({ text }) => {
    writeFileSync(journalPath, text);

    for (const force of [false, true]) {
      const opening = Checkpoint.open(journalPath, SCOPE, [fileA], force);
      await expect(opening).rejects.toThrow(CheckpointError);
      await expect(opening).rejects.toThrow(`checkpoint ${journalPath} is not a mpx-replay checkpoint`);
    }
  });

  it('a checkpoint path that is a directory: a clear CheckpointError, not a crash', async () => {
    const opening = Checkpoint.open(dir, SCOPE, [fileA], false);

    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(opening).rejects.toThrow(`checkpoint ${dir}: cannot read it`);
  });
});
