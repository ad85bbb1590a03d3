/**
 * The streaming core of `diff` (diffFiles): spilling when the pending records exceed the limit,
 * capped lists with exact counts, and a 200k-record pair in reasonable time.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { diffFiles } from '../../../src/diff/diff-files.js';
import { NO_COLOUR, renderHuman } from '../../../src/diff/render.js';
import type { DiffResult } from '../../../src/diff/tally.js';
import { engageLine, trackLine, writeDry, type DryLine } from '../../support/dry-lines.js';
import { runMain } from '../../support/run-main.js';
import { tempDir } from '../../support/temp-dir.js';

const tmp = tempDir('mpx-diff-');
afterAll(() => tmp.cleanup());

/** A deterministic shuffle (so failures reproduce). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * 300 messages, as lists of each message's records (a message's records stay together, as the
 * dry run writes them): after lacks some messages, changes some records and adds some.
 */
function scenario(): { before: DryLine[][]; after: DryLine[][] } {
  const before: DryLine[][] = [];
  const after: DryLine[][] = [];
  for (let i = 1; i <= 300; i += 1) {
    const t = trackLine(i, `m-${i}`, `E${i % 5}`, { i });
    before.push([t, engageLine(i, `m-${i}`, '$set', { i })]);
    if (i % 10 === 0) continue; // removed in after
    const message = [i % 7 === 0 ? trackLine(i, `m-${i}`, `E${i % 5}`, { i, extra: true }) : t, engageLine(i, `m-${i}`, '$set', { i })];
    if (i % 25 === 0) message.push(engageLine(i, `m-${i}`, '$set', { added: i })); // a second /engage record
    after.push(message);
  }
  return { before, after };
}

function shape(result: DiffResult) {
  return {
    total: result.total,
    onlyBefore: result.onlyBefore.map((e) => `${e.key.endpoint} ${e.key.messageId} ${e.key.index}`).sort(),
    onlyAfter: result.onlyAfter.map((e) => `${e.key.endpoint} ${e.key.messageId} ${e.key.index}`).sort(),
    changed: result.changed.map((e) => `${e.key.endpoint} ${e.key.messageId} ${e.key.index} ${JSON.stringify(e.changes)}`).sort(),
    byName: [...result.byName].sort((a, b) => `${a.endpoint}${a.name}`.localeCompare(`${b.endpoint}${b.name}`)),
  };
}

describe('spilling to disk when too many records are pending', () => {
  it('gives the same result as matching in memory, for files in the same and in a shuffled order', async () => {
    const { before, after } = scenario();
    const beforePath = writeDry(tmp.unique('b.ndjson'), before.flat());
    const inMemory = shape(await diffFiles(beforePath, writeDry(tmp.unique('a.ndjson'), after.flat())));
    expect(inMemory.total).toEqual({ onlyBefore: 60, onlyAfter: 6, changed: 38, identical: 502 });

    const shuffled = writeDry(tmp.unique('shuffled.ndjson'), shuffle(after, 7).flat());
    for (const maxEntries of [1, 10, 100]) {
      expect(shape(await diffFiles(beforePath, shuffled, { limits: { maxEntries, maxChars: Infinity } }))).toEqual(inMemory);
    }
    expect(shape(await diffFiles(beforePath, shuffled, { limits: { maxEntries: Infinity, maxChars: 2000 } }))).toEqual(inMemory);
  });
});

describe('capped lists', () => {
  it('lists at most maxListed records per list, counts stay exact, output says how many more', async () => {
    const { before, after } = scenario();
    const result = await diffFiles(writeDry(tmp.unique('b.ndjson'), before.flat()), writeDry(tmp.unique('a.ndjson'), after.flat()), { maxListed: 2 });
    expect([result.onlyBefore.length, result.onlyAfter.length, result.changed.length]).toEqual([2, 2, 2]);
    expect(result.total).toEqual({ onlyBefore: 60, onlyAfter: 6, changed: 38, identical: 502 });
    const text = [...renderHuman(result, NO_COLOUR)].join('');
    expect(text).toContain('only in before (60):\n');
    expect(text).toContain('… and 58 more\n');
    expect(text).toContain('… and 4 more\n');
    expect(text).toContain('… and 36 more\n');
  });
});

describe('scale', () => {
  it('a 200k-record pair is compared in under 10 s of CPU time', async () => {
    const COUNT = 200_000;
    const lines = (changedEvery: number): string => {
      const parts: string[] = [];
      for (let i = 1; i <= COUNT; i += 1) {
        const os = changedEvery > 0 && i % changedEvery === 0 ? 'ios' : 'iOS';
        parts.push(JSON.stringify(trackLine(i, `m-${i}`, `Event ${i % 20}`, { $os: os, $insert_id: `insert-${i}`, time: 1795737600000 + i, plan: 'pro', url: `https://example.com/p/${i}` }, 'segment-logs/src/2026-11-29/part.ndjson')));
      }
      return parts.join('\n') + '\n';
    };
    const before = tmp.unique('big-before.ndjson');
    const after = tmp.unique('big-after.ndjson');
    writeFileSync(before, lines(0));
    writeFileSync(after, lines(1000));
    // CPU time, not wall time: the test machine may be shared, and the diff runs in this process.
    const cpu = process.cpuUsage();
    const result = await runMain(['diff', before, after, '--json']);
    const { user, system } = process.cpuUsage(cpu);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).summary.total).toEqual({ onlyBefore: 0, onlyAfter: 0, changed: 200, identical: COUNT - 200 });
    expect((user + system) / 1000).toBeLessThan(10_000);
  });
});
