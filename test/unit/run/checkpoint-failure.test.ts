/**
 * A journal write that fails is told at once (issue 15): the run stops sending then, instead of
 * delivering on with a journal gone stale. The write is made to fail by a directory where the
 * journal's temporary file goes (root can write anywhere, but not a file over a directory).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkpoint, checkpointScope } from '../../../src/run/checkpoint.js';
import { CheckpointError } from '../../../src/errors.js';

const SCOPE = checkpointScope({ people: true }, 'original', { types: null, fromMs: null, toMs: null });

let root: string;
let count = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mpx-checkpoint-failure-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A journal opened on a fresh input, whose next write fails (its `.tmp` is a directory now). */
async function openThenBreak(): Promise<{ checkpoint: Checkpoint; journalPath: string; input: string }> {
  count += 1;
  const input = join(root, `${count}.ndjson`);
  writeFileSync(input, '{"type":"track","event":"e1"}\n{"type":"track","event":"e2"}\n');
  const journalPath = join(root, `${count}.checkpoint`);
  const checkpoint = await Checkpoint.open(journalPath, SCOPE, [input], false);
  mkdirSync(`${journalPath}.tmp`);
  return { checkpoint, journalPath, input };
}

describe('a journal write that fails is reported as it fails', () => {
  it('the listener is told once, without a flush, naming the journal and the error code; the journal on disk keeps its last good write', async () => {
    const { checkpoint, journalPath, input } = await openThenBreak();
    const told: string[] = [];
    checkpoint.onWriteFailure((message) => told.push(message));

    checkpoint.settle(input, 1);
    await expect.poll(() => told.length, { timeout: 2000 }).toBe(1);
    checkpoint.settle(input, 2);

    expect(told).toEqual([`checkpoint ${journalPath} could not be written (EISDIR): the lines settled since its last write are not in it, and a re-run sends them again`]);
    expect(JSON.parse(readFileSync(journalPath, 'utf8')).files[input]).toMatchObject({ through: 0, extra: [] });
    await expect(checkpoint.flush()).rejects.toThrow(CheckpointError);
    expect(told).toHaveLength(1);
  });

  it('a listener set after the failure is told at once', async () => {
    const { checkpoint, journalPath, input } = await openThenBreak();
    checkpoint.settle(input, 1);
    await expect(checkpoint.flush()).rejects.toThrow(`checkpoint ${journalPath} could not be written (EISDIR)`);

    const told: string[] = [];
    checkpoint.onWriteFailure((message) => told.push(message));

    expect(told).toHaveLength(1);
  });
});
