/**
 * In-run deduplication and device mode end to end (README "Options": --dedupe-window,
 * --skip-device-mode): the built CLI in a child process, dry runs and real imports against the
 * Mixpanel-compatible test server on 127.0.0.1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { ensureBuilt, jsonReport, readNdjson, runCli, tempDir, writeLines, type DryRecord, type Report } from '../support/cli.js';

const TOKEN = DEFAULT_PROJECT.token;
const QUIET = ['--quiet', '--backoff', '20', '--alias-delay', '10'];
const DUPLICATE = 'duplicate messageId';
const DEVICE_MODE = 'sent by device mode';

let tmp: ReturnType<typeof tempDir>;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-dedupe-');
}, 120_000);
afterAll(() => tmp.cleanup());

/** One server per test, on 127.0.0.1 and a free port; closed after the test. */
const server = useTestServers();

interface Message {
  type: string;
  messageId?: string;
  [key: string]: unknown;
}

/** A track message of user `user` at second `second` of the day (a retry has another second). */
function track(messageId: string | undefined, second: number, extra: Record<string, unknown> = {}): Message {
  return { type: 'track', event: 'Viewed', userId: `user-${second}`, timestamp: new Date(Date.UTC(2026, 10, 29, 10, 0, second)).toISOString(), ...(messageId !== undefined && { messageId }), ...extra };
}

function input(name: string, messages: readonly Message[]): string {
  return writeLines(tmp.unique(name), messages.map((m) => JSON.stringify(m)));
}

type FullReport = Report & { skipped: Record<string, { count: number; examples: string[] }>; deviceMode: number; notices: string[] };

async function dryRun(file: string, extra: string[] = []): Promise<{ code: number | null; records: DryRecord[]; report: FullReport; stderr: string }> {
  const out = tmp.unique('out.ndjson');
  const result = await runCli(['import', file, '--dry-run', '--out', out, '--json', '--quiet', ...extra]);
  return { code: result.code, records: readNdjson<DryRecord>(out), report: jsonReport(result.stdout) as FullReport, stderr: result.stderr };
}

function expectEveryLineCounted(report: Report, lines: number): void {
  const { read, delivered, skipped, rejected } = report.messages;
  expect({ read, settled: delivered + skipped + rejected }).toEqual({ read: lines, settled: lines });
}

/** The skipped lines of one reason as "line" numbers (the examples hold up to five). */
const examples = (report: FullReport, reason: string): string[] => (report.skipped[reason]?.examples ?? []).map((e) => e.slice(e.lastIndexOf(':') + 1));

describe('--dedupe-window: a repeated (type, messageId) is skipped', () => {
  const MESSAGES: Message[] = [
    track('m-1', 1),
    track('m-1', 2), // a client retry: same messageId, new timestamp → duplicate
    { ...track('m-1', 3), type: 'page', name: 'Home' }, // same id, other type → kept
    track(undefined, 4),
    track(undefined, 4), // no messageId: never deduplicated
    track('', 4),
    track('undefined', 4),
    track('undefined', 4), // a placeholder messageId is none either
    { ...track('m-2', 5), type: 'Track' }, // type case does not matter…
    track('m-2', 6), // …so this repeats line 9
    track('m-3', 7),
  ];

  it.each([
    { name: 'default window', flags: [], skippedLines: ['2', '10'] },
    { name: '--dedupe-window 0 (off)', flags: ['--dedupe-window', '0'], skippedLines: [] },
    { name: '--dedupe-window 1: only the message just before is remembered', flags: ['--dedupe-window', '1'], skippedLines: ['2', '10'] },
  ])('dry run, $name: skipped lines $skippedLines, every line counted once', async ({ flags, skippedLines }) => {
    const file = input('dupes.ndjson', MESSAGES);
    const run = await dryRun(file, flags);
    expect(run.code, run.stderr).toBe(0);
    expectEveryLineCounted(run.report, MESSAGES.length);
    expect(examples(run.report, DUPLICATE)).toEqual(skippedLines);
    expect(run.report.messages.skipped).toBe(skippedLines.length);
    const written = run.records.map((r) => String(r.line));
    expect(written).toEqual(MESSAGES.map((_, i) => String(i + 1)).filter((line) => !skippedLines.includes(line)));
    expect(run.report.records.built['/import']).toBe(MESSAGES.length - skippedLines.length);
  });

  it('the window counts messages kept: with --dedupe-window 2 a repeat three messages later is not caught', async () => {
    const file = input('window.ndjson', [track('a', 1), track('b', 2), track('c', 3), track('a', 4), track('c', 5)]);
    const run = await dryRun(file, ['--dedupe-window', '2']);
    // 'a' (line 4) was forgotten when 'c' came; line 5 repeats 'c', held with 'a'.
    expect(examples(run.report, DUPLICATE)).toEqual(['5']);
  });

  it.each(['-1', '1.5', 'lots', '100000001'])('--dedupe-window %s is a usage error (exit 2)', async (value) => {
    const file = input('bad-flag.ndjson', [track('x', 1)]);
    const result = await runCli(['import', file, '--dry-run', '--dedupe-window', value, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dedupe-window');
  });

  it('the decision is in input order whatever the threads: 12,000 lines over many blocks give the same output with 0, 1 and 2 workers', async () => {
    // Every 7th line repeats a line (not itself a repeat) 1–3000 lines before it; padding makes the blocks (256 KiB) many.
    const messages: Message[] = [];
    const isRepeat = (i: number): boolean => i % 7 === 6;
    for (let i = 0; i < 12_000; i += 1) {
      let repeat = isRepeat(i) ? i - 1 - ((i * 7919) % Math.min(i, 3000)) : -1;
      if (repeat >= 0 && isRepeat(repeat)) repeat -= 1;
      messages.push(track(`id-${repeat >= 0 ? repeat : i}`, i % 60, { properties: { pad: 'x'.repeat(200), n: i } }));
    }
    const file = input('many.ndjson', messages);
    const runs = await Promise.all(['0', '1', '2'].map((threads) => dryRun(file, ['--threads', threads])));
    const expected = Math.floor(12_000 / 7);
    for (const run of runs) {
      expectEveryLineCounted(run.report, 12_000);
      expect(run.report.skipped[DUPLICATE]!.count).toBe(expected);
      expect(run.records.length).toBe(12_000 - expected);
    }
    expect(runs[1]!.records).toEqual(runs[0]!.records);
    expect(runs[2]!.records).toEqual(runs[0]!.records);
    // The records kept are exactly the first of each messageId.
    expect(new Set(runs[0]!.records.map((r) => r.messageId)).size).toBe(runs[0]!.records.length);
  });

  it('import: duplicates (an alias among them) are not sent; the server gets each message once, exit 0', async () => {
    const messages: Message[] = [
      track('t-1', 1),
      { type: 'alias', messageId: 'al-1', previousId: 'anon-1', userId: 'user-9', timestamp: '2026-11-29T10:00:00.000Z' },
      track('t-1', 2),
      { type: 'alias', messageId: 'al-1', previousId: 'anon-1', userId: 'user-9', timestamp: '2026-11-29T10:00:05.000Z' },
      track('t-2', 9, { userId: 'user-9' }),
    ];
    const file = input('import.ndjson', messages);
    const mp = await server();
    const result = await runCli(['import', file, '--api-host', mp.url, '--token', TOKEN, '--api-secret', DEFAULT_PROJECT.apiSecret, '--json', ...QUIET]);
    expect(result.code, result.stderr).toBe(0);
    const report = jsonReport(result.stdout) as FullReport;
    expectEveryLineCounted(report, messages.length);
    expect(examples(report, DUPLICATE).sort()).toEqual(['3', '4']);
    const events = mp.accepted.filter((a) => a.endpoint === '/import').map((a) => `${a.record.event} ${a.record.properties.$insert_id as string}`);
    expect(events.sort()).toEqual(['$create_alias al-1', 'Viewed t-1', 'Viewed t-2']);
  });

  it('resume: lines settled by an earlier run are not read again, so a repeat of one of them is replayed (documented)', async () => {
    const file = input('resume.ndjson', [track('r-1', 1), track('r-2', 2), track('r-1', 3), track('r-3', 4)]);
    const checkpoint = tmp.unique('journal.json');
    const mp = await server();
    const args = ['import', file, '--api-host', mp.url, '--token', TOKEN, '--api-secret', DEFAULT_PROJECT.apiSecret, '--checkpoint', checkpoint, '--json', ...QUIET];
    const first = jsonReport((await runCli(args)).stdout) as FullReport;
    expect(examples(first, DUPLICATE)).toEqual(['3']);
    // As if the first run had stopped after line 2: lines 3 and 4 are read again.
    const journal = JSON.parse(readFileSync(checkpoint, 'utf8'));
    journal.files[file] = { ...journal.files[file], through: 2, extra: [] };
    writeFileSync(checkpoint, JSON.stringify(journal));
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    const report = jsonReport(second.stdout) as FullReport;
    expect({ resumed: (report as unknown as { resumed: number }).resumed, read: report.messages.read, delivered: report.messages.delivered }).toEqual({ resumed: 2, read: 2, delivered: 2 });
  });
});

describe('device mode: _metadata.bundled lists Mixpanel', () => {
  const MESSAGES: Message[] = [
    track('d-1', 1, { _metadata: { bundled: ['Segment.io', 'Mixpanel'] } }),
    track('d-2', 2, { _metadata: { bundled: ['mixpanel'] } }),
    track('d-3', 3, { _metadata: { bundled: ['Amplitude'], unbundled: ['Mixpanel'] } }),
    track('d-4', 4, { _metadata: { bundled: 'Mixpanel' } }),
    track('d-5', 5),
    { type: 'identify', messageId: 'd-6', userId: 'user-6', traits: { plan: 'pro' }, timestamp: '2026-11-29T10:00:06.000Z', _metadata: { bundled: ['MIXPANEL'] } },
  ];
  const DEVICE_LINES = ['1', '2', '6'];

  it('dry run: replayed and counted, with a notice in --json and in the human report', async () => {
    const file = input('device.ndjson', MESSAGES);
    const run = await dryRun(file, ['--settings', writeSettings({ people: true })]);
    expect(run.code, run.stderr).toBe(0);
    expectEveryLineCounted(run.report, MESSAGES.length);
    expect(run.report.deviceMode).toBe(DEVICE_LINES.length);
    expect(run.report.notices).toEqual([expect.stringContaining('3 messages were mapped that device mode had sent to Mixpanel already')]);
    expect(new Set(run.records.map((r) => String(r.line)))).toEqual(new Set(['1', '2', '3', '4', '5', '6']));
    const human = await runCli(['import', file, '--dry-run', '--out', tmp.unique('human.ndjson'), '--settings', writeSettings({ people: true })]);
    expect(human.stderr).toMatch(/notice: 3 messages were mapped that device mode had sent .*--skip-device-mode skips them/);
  });

  it('dry run, no device-mode message: no notice', async () => {
    const run = await dryRun(input('no-device.ndjson', [track('n-1', 1)]));
    expect({ deviceMode: run.report.deviceMode, notices: run.report.notices }).toEqual({ deviceMode: 0, notices: [] });
  });

  it('--skip-device-mode: those lines are skipped with "sent by device mode", the rest written', async () => {
    const run = await dryRun(input('skip.ndjson', MESSAGES), ['--skip-device-mode', '--settings', writeSettings({ people: true })]);
    expect(run.code, run.stderr).toBe(0);
    expectEveryLineCounted(run.report, MESSAGES.length);
    expect(examples(run.report, DEVICE_MODE)).toEqual(DEVICE_LINES);
    expect(run.report.deviceMode).toBe(0);
    expect(new Set(run.records.map((r) => String(r.line)))).toEqual(new Set(['3', '4', '5']));
  });

  it.each([
    { name: 'default', flags: [], sent: ['d-1', 'd-2', 'd-3', 'd-4', 'd-5'], deviceMode: 2 },
    { name: '--skip-device-mode', flags: ['--skip-device-mode'], sent: ['d-3', 'd-4', 'd-5'], deviceMode: 0 },
  ])('import, $name: the server gets $sent', async ({ flags, sent, deviceMode }) => {
    const file = input('device-import.ndjson', MESSAGES.slice(0, 5));
    const mp = await server();
    const result = await runCli(['import', file, '--api-host', mp.url, '--token', TOKEN, '--api-secret', DEFAULT_PROJECT.apiSecret, '--json', ...QUIET, ...flags]);
    expect(result.code, result.stderr).toBe(0);
    const report = jsonReport(result.stdout) as FullReport;
    expectEveryLineCounted(report, 5);
    expect(report.deviceMode).toBe(deviceMode);
    expect(mp.accepted.map((a) => a.record.properties.$insert_id).sort()).toEqual(sent);
  });
});

function writeSettings(settings: Record<string, unknown>): string {
  const path = tmp.unique('settings.json');
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

