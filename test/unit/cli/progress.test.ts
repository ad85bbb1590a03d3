/** SPEC §1 output discipline: an ora spinner on a TTY without CI, a plain line every few seconds otherwise, nothing when disabled. */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spinnerFits, startProgress } from '../../../src/cli/progress.js';
import { Accounting } from '../../../src/run/accounting.js';

/** A stderr stand-in; as a TTY it has the cursor methods a terminal stream has (ora uses them). */
function stderr(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  if (isTTY) Object.assign(stream, { columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

function accountingWith(read: number, delivered: number): Accounting {
  const accounting = new Accounting();
  for (let i = 0; i < read; i += 1) accounting.read('track');
  accounting.linesDelivered = delivered;
  return accounting;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startProgress', () => {
  it('§1 not a TTY (or CI set): one plain line every 5 s with live counts, on stderr', async () => {
    vi.useFakeTimers();
    const err = stderr(false);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, accountingWith(1234, 1200), true, 'import');
    expect(err.text()).toBe('');
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(err.text()).toMatch(/^import: 1234 read, 1200 delivered, 0 skipped, 0 rejected, \d+ lines\/s\n$/);
  });

  it('§1 a TTY without CI: an ora spinner with the live counts', async () => {
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, accountingWith(77, 70), true, 'dry run');
    progress.stop();
    expect(err.text()).toContain('dry run: 77 read, 70 mapped');
  });

  it('§1 a TTY with CI set: plain lines, no spinner', async () => {
    vi.useFakeTimers();
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: { CI: 'true' }, now: () => 0 }, accountingWith(5, 5), true, 'import');
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(err.text()).toMatch(/^import: 5 read, 5 delivered/);
  });

  it('§1 --quiet / --no-progress: nothing at all', async () => {
    vi.useFakeTimers();
    const err = stderr(true);
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, accountingWith(9, 9), false, 'import');
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
    const progress = await startProgress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream, env: {}, now: () => 0 }, accountingWith(31, 30), true, 'import');
    Object.assign(err.stream, { columns: 0 });
    err.stream.emit('resize');
    const before = err.text().length;
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(err.text().slice(before)).toMatch(/^import: 31 read, 30 delivered/);
  });
});
