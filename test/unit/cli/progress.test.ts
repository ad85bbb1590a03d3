/** SPEC §1 output discipline: an ora spinner on a TTY without CI, a plain line every few seconds otherwise, nothing when disabled. */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spinnerFits, startProgress } from '../../../src/cli/progress.js';
import type { ProgressSnapshot } from '../../../src/cli/progress-format.js';

/** A stderr stand-in; as a TTY it has the cursor methods a terminal stream has (ora uses them). */
function stderr(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  if (isTTY) Object.assign(stream, { columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

/** A run that has read `lines` lines and delivered `records` records (of a 2 MB input, half read). */
function runAt(lines: number, records: number, label: ProgressSnapshot['label'] = 'import'): () => ProgressSnapshot {
  return () => ({ label, phase: 'main', lines, records, bytesRead: 1_000_000, bytesTotal: 2_000_000, file: 'day.ndjson', retries: 0, status429: 0, rateLimitedUntil: 0 })
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startProgress', () => {
  it('§1 not a TTY (or CI set): one timestamped plain line every 5 s with live counts, on stderr', async () => {
    vi.useFakeTimers();
    const err = stderr(false);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, runAt(1234, 1200), true);
    expect(err.text()).toBe('');
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(err.text()).toBe('1970-01-01T00:00:00Z import 50% of 2.0 MB · 1,234 lines · 1,200 records delivered · day.ndjson\n');
  });

  it('§1 a TTY without CI: an ora spinner with the live counts', async () => {
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, runAt(77, 70, 'dry run'), true);
    progress.stop();
    expect(err.text()).toContain('dry run 50% of 2.0 MB · 77 lines · 70 records written');
  });

  it('§1 a TTY with CI set: plain lines, no spinner', async () => {
    vi.useFakeTimers();
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: { CI: 'true' }, now: () => 0 }, runAt(5, 5), true);
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(err.text()).toMatch(/^1970-01-01T00:00:00Z import 50% of 2.0 MB · 5 lines · 5 records delivered/);
  });

  it('§1 --quiet / --no-progress: nothing at all', async () => {
    vi.useFakeTimers();
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, runAt(9, 9), false);
    vi.advanceTimersByTime(20_000);
    progress.stop();
    expect(err.text()).toBe('');
  });
});

describe('spinnerFits', () => {
  it.each([
    ['a TTY 120 columns wide', { isTTY: true, columns: 120 }, {}, true],
    ['a TTY reporting 0 columns', { isTTY: true, columns: 0 }, {}, false],
    ['a TTY 12 columns wide', { isTTY: true, columns: 12 }, {}, false],
    ['a TTY with no width at all', { isTTY: true }, {}, false],
    ['a TTY with CI set', { isTTY: true, columns: 120 }, { CI: '1' }, false],
    ['a TTY with TERM=dumb', { isTTY: true, columns: 120 }, { TERM: 'dumb' }, false],
    ['not a TTY', { isTTY: false, columns: 120 }, {}, false],
  ])('§1 the spinner needs a TTY with a usable width and no CI: %s', (_name, stream, env, expected) => {
    expect(spinnerFits(Object.assign(new PassThrough(), stream), env)).toBe(expected);
  });

  it('§1 a terminal resized to 0 columns mid-run: the spinner stops and plain lines follow', async () => {
    vi.useFakeTimers();
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, runAt(31, 30), true);
    Object.assign(err.stream, { columns: 0 });
    err.stream.emit('resize');
    const before = err.text().length;
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(err.text().slice(before)).toMatch(/^1970-01-01T00:00:00Z import 50% of 2.0 MB · 31 lines · 30 records delivered/);
  });
});
