/**
 * The journal's per-record part (issue 15, "Applied twice"): `$add`/`$append` records Mixpanel
 * acknowledged, kept by file, line and position while their line is unsettled, reloaded by a
 * re-run, dropped once the line settles; older journals without them still load.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkpoint, checkpointScope } from '../../../src/run/checkpoint.js';
import { CheckpointError } from '../../../src/errors.js';

const SCOPE = checkpointScope({ people: true }, 'simplified', { types: null, fromMs: null, toMs: null });

let dir: string;
let input: string;
let caseNumber = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mpx-acks-'));
  input = join(dir, 'day.ndjson');
  writeFileSync(input, '{"type":"track"}\n'.repeat(20));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const journalPath = (): string => join(dir, `case-${(caseNumber += 1)}.checkpoint`);
const open = (path: string): Promise<Checkpoint> => Checkpoint.open(path, SCOPE, [input], false);
const onDisk = (path: string): { version: number; files: Record<string, { acked?: Record<string, number[]> }> } => JSON.parse(readFileSync(path, 'utf8'));

describe('acknowledged records of unsettled lines', () => {
  it('an acknowledged record is on disk and known to the next run, at its line and position only', async () => {
    const path = journalPath();
    const first = await open(path);
    first.acknowledge(input, 7, 1);
    first.acknowledge(input, 7, 3);
    first.acknowledge(input, 9, 0);
    await first.flush();

    expect(onDisk(path).files[input]!.acked).toEqual({ 7: [1, 3], 9: [0] });
    const second = await open(path);
    const places = [[7, 0], [7, 1], [7, 2], [7, 3], [9, 0], [9, 1], [8, 1]].map(([line, position]) => [line, position, second.isAcknowledged(input, line!, position!)]);
    expect(places).toEqual([[7, 0, false], [7, 1, true], [7, 2, false], [7, 3, true], [9, 0, true], [9, 1, false], [8, 1, false]]);
  });

  it('an acknowledgement made under one spelling of the input is found under another (journal keyed by absolute path)', async () => {
    const path = journalPath();
    const spelled = relative(process.cwd(), input);
    const first = await Checkpoint.open(path, SCOPE, [spelled], false);
    first.acknowledge(spelled, 6, 2);
    await first.flush();

    expect(Object.keys(onDisk(path).files)).toEqual([input]);
    const second = await open(path);
    expect([second.isAcknowledged(input, 6, 2), second.isAcknowledged(input, 6, 1)]).toEqual([true, false]);
  });

  it('is written without a flush (promptly, like a settled line)', async () => {
    const path = journalPath();
    const checkpoint = await open(path);
    checkpoint.acknowledge(input, 4, 2);
    await expect.poll(() => onDisk(path).files[input]!.acked, { timeout: 2_000, interval: 5 }).toEqual({ 4: [2] });
  });

  it('written() resolves once the acknowledgement is on disk, also while other changes keep the journal busy', async () => {
    const path = journalPath();
    const checkpoint = await open(path);
    let busy = true;
    const settling = (async () => {
      for (let line = 10; busy && line <= 20; line += 1) {
        checkpoint.settle(input, line);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    checkpoint.acknowledge(input, 2, 4);
    await checkpoint.written();
    const acked = onDisk(path).files[input]!.acked;
    busy = false;
    await settling;
    expect(acked).toEqual({ 2: [4] });
  });

  it('a line that settles drops its acknowledged records: the journal holds none, and a re-run skips the line whole', async () => {
    const path = journalPath();
    const first = await open(path);
    first.acknowledge(input, 3, 0);
    first.acknowledge(input, 5, 1);
    first.settle(input, 3);
    await first.flush();

    expect(onDisk(path).files[input]!.acked).toEqual({ 5: [1] });
    const second = await open(path);
    second.settle(input, 5);
    await second.flush();
    expect(onDisk(path).files[input]).not.toHaveProperty('acked');
    expect([second.isSettled(input, 3), second.isSettled(input, 5), second.isAcknowledged(input, 5, 1)]).toEqual([true, true, false]);
  });

  it('acknowledging a record of a settled line leaves no entry', async () => {
    const path = journalPath();
    const checkpoint = await open(path);
    checkpoint.settle(input, 1);
    checkpoint.acknowledge(input, 1, 0);
    await checkpoint.flush();
    expect(onDisk(path).files[input]).not.toHaveProperty('acked');
  });

  it('a journal written before acknowledgements existed (no "acked") loads, with nothing acknowledged', async () => {
    const path = journalPath();
    const first = await open(path);
    first.settle(input, 1);
    await first.flush();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('acked');

    const second = await open(path);
    expect([second.isSettled(input, 1), second.isAcknowledged(input, 2, 0)]).toEqual([true, false]);
  });

  it.each([
    { what: 'a list that is not one', acked: { 3: 1 } },
    { what: 'a line number that is not one', acked: { x: [0] } },
    { what: 'a negative position', acked: { 3: [-1] } },
    { what: 'a position that is not an integer', acked: { 3: [0.5] } },
  ])('an "acked" entry with $what is refused as not a journal', async ({ acked }) => {
    const path = journalPath();
    await (await open(path)).flush();
    const journal = onDisk(path);
    writeFileSync(path, JSON.stringify({ ...journal, files: { [input]: { ...journal.files[input], acked } } }));
    const opening = open(path);
    await expect(opening).rejects.toThrow(CheckpointError);
    await expect(open(path)).rejects.toThrow(/is not a mpx-replay checkpoint/);
  });
});
