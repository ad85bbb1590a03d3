/**
 * `mpx-replay import … --dry-run`, run in-process through `main(argv, io)` (SPEC §1, §2, §4.8,
 * §7, §8): records on stdout or --out, rejects file, report, exit codes, usage errors, help.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../support/temp-dir.js';
import { runMain, type MainResult } from '../../support/run-main.js';

/** Every run's start time, injected: the future-time check never depends on the clock. */
const RUN_START_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
const TIME_ISO = '2026-11-29T08:15:30.250Z';

let dir: TempDir;

beforeAll(() => {
  dir = tempDir('mpx-dry-');
});

afterAll(() => dir.cleanup());

interface RunOptions {
  env?: Record<string, string>;
  stdin?: Readable;
  /** Leave the clock alone (no injected `now`). */
  realClock?: boolean;
}

function run(argv: string[], options: RunOptions = {}): Promise<MainResult> {
  return runMain(argv, { env: options.env, stdin: options.stdin, ...(!options.realClock && { now: () => RUN_START_MS }) });
}

/** A unique temp path (file not created). */
const tmp = (name: string): string => dir.unique(name);

function writeInput(name: string, lines: readonly string[]): string {
  const path = tmp(name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function writeJson(name: string, value: unknown): string {
  const path = tmp(name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

interface DryLine {
  endpoint: string;
  file: string;
  line: number;
  messageId: string | null;
  record: { event?: string; properties?: Record<string, unknown>; [key: string]: unknown };
}

function parseNdjson<T = DryLine>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

const track = (messageId: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event: `Event ${messageId}`, messageId, userId: `user-${messageId}`, timestamp: TIME_ISO, properties: {}, ...overrides });

describe('§7 rejected lines: reason, line number, rejects file; later lines still mapped', () => {
  type Case = { name: string; bad: string; stage: 'input' | 'mapping'; messageId: string | null; reason: string | RegExp; message: unknown };
  const cases: Case[] = [
    { name: '§2 a line that is not valid JSON is rejected', bad: '{"type":"track",', stage: 'input', messageId: null, reason: /^invalid JSON: /, message: '{"type":"track",' },
    { name: '§2 a JSON array is not an object: rejected', bad: '[1,2,3]', stage: 'input', messageId: null, reason: 'not a JSON object: found an array', message: [1, 2, 3] },
    { name: '§2 a JSON string is not an object: rejected', bad: '"track"', stage: 'input', messageId: null, reason: 'not a JSON object: found a string', message: 'track' },
    { name: '§2 a JSON number is not an object: rejected', bad: '42', stage: 'input', messageId: null, reason: 'not a JSON object: found a number', message: 42 },
    {
      name: '§4.0 an unsupported type is rejected',
      bad: JSON.stringify({ type: 'purchase', messageId: 'm-unsupported', userId: 'u-1', timestamp: TIME_ISO }),
      stage: 'mapping',
      messageId: 'm-unsupported',
      reason: 'unsupported type "purchase": expected one of track, page, screen, identify, alias, group',
      message: { type: 'purchase', messageId: 'm-unsupported', userId: 'u-1', timestamp: TIME_ISO },
    },
    {
      name: '§4.0 a message without any timestamp is rejected (never "now")',
      bad: JSON.stringify({ type: 'track', event: 'No Time', messageId: 'm-notime', userId: 'u-2' }),
      stage: 'mapping',
      messageId: 'm-notime',
      reason: 'no timestamp: expected timestamp, originalTimestamp or receivedAt',
      message: { type: 'track', event: 'No Time', messageId: 'm-notime', userId: 'u-2' },
    },
    {
      name: '§4.8 an unparseable timestamp is rejected (no fall-through to receivedAt)',
      bad: JSON.stringify({ type: 'track', event: 'Bad Time', messageId: 'm-badtime', userId: 'u-3', timestamp: 'yesterday', receivedAt: TIME_ISO }),
      stage: 'mapping',
      messageId: 'm-badtime',
      reason: 'timestamp "yesterday" is not an ISO-8601 date or epoch number',
      message: { type: 'track', event: 'Bad Time', messageId: 'm-badtime', userId: 'u-3', timestamp: 'yesterday', receivedAt: TIME_ISO },
    },
    {
      name: '§4.0 a message with no distinct id (only placeholders) is rejected',
      bad: JSON.stringify({ type: 'track', event: 'Nobody', messageId: 'm-noid', userId: 'undefined', anonymousId: 'null', timestamp: TIME_ISO }),
      stage: 'mapping',
      messageId: 'm-noid',
      reason: /^no distinct id: expected userId or anonymousId/,
      message: { type: 'track', event: 'Nobody', messageId: 'm-noid', userId: 'undefined', anonymousId: 'null', timestamp: TIME_ISO },
    },
    {
      name: '§4.7 an alias whose previousId equals its userId is rejected',
      bad: JSON.stringify({ type: 'alias', messageId: 'm-alias-same', userId: 'same-7', previousId: 'same-7', timestamp: TIME_ISO }),
      stage: 'mapping',
      messageId: 'm-alias-same',
      reason: 'alias previousId and userId are both "same-7"',
      message: { type: 'alias', messageId: 'm-alias-same', userId: 'same-7', previousId: 'same-7', timestamp: TIME_ISO },
    },
    {
      name: '§4.0 a time before 1971-01-01 is rejected',
      bad: JSON.stringify({ type: 'track', event: 'Old', messageId: 'm-1970', userId: 'u-4', timestamp: '1970-06-01T00:00:00Z' }),
      stage: 'mapping',
      messageId: 'm-1970',
      reason: 'time 1970-06-01T00:00:00.000Z is before 1971-01-01: Mixpanel rejects it',
      message: { type: 'track', event: 'Old', messageId: 'm-1970', userId: 'u-4', timestamp: '1970-06-01T00:00:00Z' },
    },
    {
      name: '§4.0 a time more than 1 hour after the run start is rejected',
      bad: JSON.stringify({ type: 'track', event: 'Future', messageId: 'm-future', userId: 'u-5', timestamp: '2026-11-30T13:00:01Z' }),
      stage: 'mapping',
      messageId: 'm-future',
      reason: 'time 2026-11-30T13:00:01.000Z is more than 1 hour after the run start 2026-11-30T12:00:00.000Z',
      message: { type: 'track', event: 'Future', messageId: 'm-future', userId: 'u-5', timestamp: '2026-11-30T13:00:01Z' },
    },
  ];

  it.each(cases)('$name', async ({ bad, stage, messageId, reason, message }) => {
    const input = writeInput('mixed.ndjson', [track('good-1'), '', bad, track('good-4')]);
    const rejects = tmp('rejects.ndjson');
    const result = await run(['import', input, '--dry-run', '--rejects', rejects, '--no-progress']);

    expect(result.code).toBe(1);
    const rejected = parseNdjson<Record<string, unknown>>(readFileSync(rejects, 'utf8'));
    expect(rejected).toEqual([{ file: input, line: 3, messageId, stage, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason), message }]);
    expect(Object.keys(rejected[0] ?? {})).toEqual(['file', 'line', 'messageId', 'stage', 'reason', 'message']);
    expect(parseNdjson(result.stdout).map((r) => [r.file, r.line, r.messageId])).toEqual([
      [input, 1, 'good-1'],
      [input, 4, 'good-4'],
    ]);
    expect(result.stderr).toContain('rejected          1');
  });

  it('§4.0 a time exactly 1 hour after the run start is accepted (the boundary is "more than")', async () => {
    const input = writeInput('boundary.ndjson', [track('edge-1', { timestamp: '2026-11-30T13:00:00.000Z' }), track('edge-2', { timestamp: '1971-01-01T00:00:00.000Z' })]);
    const result = await run(['import', input, '--dry-run', '--no-progress']);
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout).map((r) => [r.line, r.record.properties?.time])).toEqual([
      [1, Date.UTC(2026, 10, 30, 13)],
      [2, Date.UTC(1971, 0, 1)],
    ]);
  });

  it('§2 an invalid UTF-8 line is rejected at the input stage with its line number', async () => {
    const input = tmp('latin1.ndjson');
    writeFileSync(input, Buffer.concat([Buffer.from(`${track('utf-1')}\n{"type":"track","event":"caf`), Buffer.from([0xe9]), Buffer.from(`"}\n${track('utf-3')}\n`)]));
    const rejects = tmp('rejects-utf8.ndjson');
    const result = await run(['import', input, '--dry-run', '--rejects', rejects, '--no-progress']);
    expect(result.code).toBe(1);
    expect(parseNdjson<Record<string, unknown>>(readFileSync(rejects, 'utf8')).map((r) => [r.line, r.stage, r.reason])).toEqual([[2, 'input', 'line is not valid UTF-8']]);
    expect(parseNdjson(result.stdout).map((r) => r.line)).toEqual([1, 3]);
  });

  it('§7 when nothing is rejected the --rejects file is empty: exit 0', async () => {
    const input = writeInput('clean.ndjson', [track('clean-1'), track('clean-2')]);
    const rejects = tmp('rejects-clean.ndjson');
    const result = await run(['import', input, '--dry-run', '--rejects', rejects, '--no-progress']);
    expect(result.code).toBe(0);
    expect(readFileSync(rejects, 'utf8')).toBe('');
  });
});

describe('§1 exit codes: skipped lines are not failures', () => {
  const cases = [
    {
      name: '§4.0 integrations.Mixpanel false is skipped, exit 0',
      line: JSON.stringify({ type: 'track', event: 'Hidden', messageId: 'm-int', userId: 'u-int', timestamp: TIME_ISO, integrations: { Mixpanel: false } }),
      settings: {},
      reason: 'disabled for Mixpanel by integrations',
      code: 'disabled_by_integrations',
    },
    {
      name: '§4.0 integrations.All false without Mixpanel is skipped, exit 0',
      line: JSON.stringify({ type: 'track', event: 'Hidden All', messageId: 'm-all', userId: 'u-all', timestamp: TIME_ISO, integrations: { All: false } }),
      settings: {},
      reason: 'disabled for Mixpanel by integrations',
      code: 'disabled_by_integrations',
    },
    {
      name: '§4.3 identify without people is skipped, exit 0',
      line: JSON.stringify({ type: 'identify', messageId: 'm-idf', userId: 'u-idf', timestamp: TIME_ISO, traits: { email: 'a@example.com' } }),
      settings: {},
      reason: 'people disabled',
      code: 'people_disabled',
    },
    {
      name: '§4.2 a page with no matching page option is skipped, exit 0',
      line: JSON.stringify({ type: 'page', messageId: 'm-page', userId: 'u-page', timestamp: TIME_ISO, name: 'Home' }),
      settings: { consolidatedPageCalls: false },
      reason: 'no page option matches',
      code: 'page_not_tracked',
    },
  ];

  it.each(cases)('$name', async ({ line, settings, reason, code }) => {
    const input = writeInput('skips.ndjson', [track('kept-1'), line]);
    const out = tmp('out.ndjson');
    const result = await run(['import', input, '--dry-run', '--settings', writeJson('settings.json', settings), '--out', out, '--json', '--no-progress']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { exitCode: number; messages: Record<string, number>; skipped: Record<string, { count: number; examples: string[] }> };
    expect(report.exitCode).toBe(0);
    expect(report.messages).toMatchObject({ read: 2, delivered: 1, skipped: 1, rejected: 0 });
    expect(report.skipped).toEqual({ [reason]: { code, count: 1, examples: [`${input}:2`] } });
    expect(parseNdjson(readFileSync(out, 'utf8')).map((r) => r.line)).toEqual([1]);
  });
});

describe('§1 --types, --from, --to: messages outside are skipped and counted', () => {
  const lines = [
    track('f-1', { timestamp: '2026-11-01T00:00:00.000Z' }),
    JSON.stringify({ type: 'page', messageId: 'f-2', userId: 'u-f2', timestamp: '2026-11-02T00:00:00.000Z' }),
    track('f-3', { timestamp: '2026-11-03T00:00:00.000Z' }),
    JSON.stringify({ type: 'alias', messageId: 'f-4', userId: 'u-f4', previousId: 'anon-f4', timestamp: '2026-11-04T00:00:00.000Z' }),
  ];
  const cases = [
    { name: '§1 --types keeps only the listed call types', flags: ['--types', 'track,alias'], kept: [1, 3, 4], reason: 'filtered out by --types' },
    { name: '§1 --types is case-insensitive and trims spaces', flags: ['--types', ' PAGE '], kept: [2], reason: 'filtered out by --types' },
    { name: '§1 --from is inclusive (ISO-8601)', flags: ['--from', '2026-11-02T00:00:00Z'], kept: [2, 3, 4], reason: 'outside the --from/--to window' },
    { name: '§1 --to is exclusive (ISO-8601)', flags: ['--to', '2026-11-03T00:00:00Z'], kept: [1, 2], reason: 'outside the --from/--to window' },
    { name: '§1 --from/--to accept epoch milliseconds', flags: ['--from', String(Date.UTC(2026, 10, 2)), '--to', String(Date.UTC(2026, 10, 4))], kept: [2, 3], reason: 'outside the --from/--to window' },
  ];

  it.each(cases)('$name', async ({ flags, kept, reason }) => {
    const input = writeInput('window.ndjson', lines);
    const out = tmp('out-window.ndjson');
    const result = await run(['import', input, '--dry-run', '--out', out, '--json', '--no-progress', ...flags]);
    expect(result.code).toBe(0);
    expect(parseNdjson(readFileSync(out, 'utf8')).map((r) => r.line)).toEqual(kept);
    const report = JSON.parse(result.stdout) as { messages: Record<string, number>; skipped: Record<string, { count: number }> };
    expect(report.messages).toMatchObject({ read: 4, delivered: kept.length, skipped: 4 - kept.length, rejected: 0 });
    expect(report.skipped[reason]?.count).toBe(4 - kept.length);
  });
});

describe('§8 dry-run output and report', () => {
  it('§8 --out gets the records, stdout gets only the --json report; the counts add up', async () => {
    const input = writeInput('report.ndjson', [
      track('r-1'),
      '',
      JSON.stringify({ type: 'identify', messageId: 'r-3', userId: 'u-r3', timestamp: TIME_ISO, traits: { email: 'r3@example.com' } }),
      '[]',
      JSON.stringify({ type: 'screen', messageId: 'r-5', anonymousId: 'anon-r5', timestamp: TIME_ISO, name: 'Cart' }),
      JSON.stringify({ type: 'bogus', messageId: 'r-6', userId: 'u-r6', timestamp: TIME_ISO }),
    ]);
    const out = tmp('report-out.ndjson');
    const result = await run(['import', input, '--dry-run', '--out', out, '--json', '--no-progress']);

    expect(result.code).toBe(1);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout) as {
      version: number;
      mode: string;
      exitCode: number;
      messages: { read: number; delivered: number; skipped: number; rejected: number; unsettled: number; byType: Record<string, number> };
      records: { built: Record<string, number> };
      inputs: Array<{ file: string; lines: number }>;
      rejected: Record<string, unknown>;
    };
    expect(report.version).toBe(2);
    expect(report.mode).toBe('dry-run');
    expect(report.exitCode).toBe(1);
    expect(report.messages).toMatchObject({ read: 5, delivered: 2, skipped: 1, rejected: 2, unsettled: 0 });
    expect(report.messages.read).toBe(report.messages.delivered + report.messages.skipped + report.messages.rejected);
    expect(report.messages.byType).toEqual({ track: 1, identify: 1, invalid: 2, screen: 1 });
    expect(report.records.built).toEqual({ '/import': 2 });
    expect(report.inputs).toEqual([expect.objectContaining({ file: input, lines: 6 })]);
    expect(report.rejected).toEqual({
      'not a JSON object: found an array': { code: 'not_an_object', count: 1, stage: 'input', examples: [`${input}:4`] },
      'unsupported type "…": expected one of track, page, screen, identify, alias, group': { code: 'unsupported_type', count: 1, stage: 'mapping', examples: [`${input}:6`] },
    });
    expect(parseNdjson(readFileSync(out, 'utf8')).map((r) => [r.line, r.messageId, r.record.event])).toEqual([
      [1, 'r-1', 'Event r-1'],
      [5, 'r-5', 'Loaded a Screen'],
    ]);
  });

  it('§8 without --out, stdout has only the records and the --json report goes to stderr', async () => {
    const input = writeInput('stdout-json.ndjson', [track('j-1'), track('j-2')]);
    const result = await run(['import', input, '--dry-run', '--json', '--no-progress']);
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout).map((r) => Object.keys(r))).toEqual([
      ['endpoint', 'file', 'line', 'messageId', 'record'],
      ['endpoint', 'file', 'line', 'messageId', 'record'],
    ]);
    const jsonLine = result.stderr.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(jsonLine ?? 'null')).toMatchObject({ version: 2, messages: { read: 2, delivered: 2 } });
  });

  it('§8 each output line has exactly endpoint, file, line, messageId, record, in that order', async () => {
    const input = writeInput('keys.ndjson', [
      track('k-1'),
      JSON.stringify({ type: 'identify', messageId: 'k-2', userId: 'u-k2', timestamp: TIME_ISO, traits: { plan: 'pro' } }),
      JSON.stringify({ type: 'group', messageId: 'k-3', userId: 'u-k3', groupId: 'acme', timestamp: TIME_ISO, traits: { name: 'Acme' } }),
    ]);
    const settings = writeJson('people.json', { people: true, groupIdentifierTraits: ['groupId'] });
    const result = await run(['import', input, '--dry-run', '--settings', settings, '--no-progress']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as DryLine);
    for (const entry of parsed) expect(Object.keys(entry)).toEqual(['endpoint', 'file', 'line', 'messageId', 'record']);
    expect(parsed.map((r) => [r.endpoint, r.line, r.messageId])).toEqual([
      ['/import', 1, 'k-1'],
      ['/engage', 2, 'k-2'],
      ['/groups', 3, 'k-3'],
      ['/engage', 3, 'k-3'],
    ]);
  });

  it.each([
    { name: '§4.8 messageId is Segment\'s messageId, not the $insert_id, when the id is not a valid insert id', messageId: 'ajs-next-1764403200000-4b1c.9f2e_long-form-id-0123456789' },
    { name: '§4.8 messageId is null when the message has none (the $insert_id is derived)', messageId: undefined },
  ])('$name', async ({ messageId }) => {
    const message: Record<string, unknown> = { type: 'track', event: 'Id Check', userId: 'u-id', timestamp: TIME_ISO };
    if (messageId !== undefined) message.messageId = messageId;
    const input = writeInput('ids.ndjson', [JSON.stringify(message)]);
    const result = await run(['import', input, '--dry-run', '--no-progress']);
    const [entry] = parseNdjson(result.stdout);
    expect(entry?.messageId).toBe(messageId ?? null);
    expect(entry?.record.properties?.$insert_id).toMatch(/^[A-Za-z0-9-]{1,36}$/);
    expect(entry?.record.properties?.$insert_id).not.toBe(messageId);
  });

  it('§4.8 line numbers count blank lines and BOM/CRLF do not shift them', async () => {
    const input = tmp('crlf.ndjson');
    writeFileSync(input, `\ufeff${track('n-1')}\r\n\r\n   \r\n${track('n-4')}\r\n${track('n-5')}`);
    const result = await run(['import', input, '--dry-run', '--no-progress']);
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout).map((r) => [r.line, r.messageId])).toEqual([
      [1, 'n-1'],
      [4, 'n-4'],
      [5, 'n-5'],
    ]);
  });

  it('§4 two dry runs of the same input give byte-identical output (no clock, no randomness)', async () => {
    const input = writeInput('determinism.ndjson', [
      track('d-1', { timestamp: '2024-03-01T10:00:00Z' }),
      JSON.stringify({ type: 'track', event: 'No Message Id', userId: 'u-d2', timestamp: '2024-03-01T10:00:01Z', properties: { z: 1, a: [1, { b: 2 }] } }),
      JSON.stringify({ type: 'identify', userId: 'u-d3', timestamp: '2024-03-01T10:00:02Z', traits: { createdAt: '2024-01-01T00:00:00Z', name: 'Dee' } }),
      JSON.stringify({ type: 'alias', userId: 'u-d4', previousId: 'anon-d4', timestamp: '2024-03-01T10:00:03Z' }),
    ]);
    const settings = writeJson('people-det.json', { people: true });
    const first = await run(['import', input, '--dry-run', '--settings', settings, '--no-progress'], { realClock: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await run(['import', input, '--dry-run', '--settings', settings, '--no-progress'], { realClock: true });
    expect(first.code).toBe(0);
    expect(parseNdjson(first.stdout)).toHaveLength(4);
    expect(second.stdout).toBe(first.stdout);
  });

  it('§1 stdin via "-": records name the file "-"', async () => {
    const stdin = Readable.from([Buffer.from(`${track('s-1')}\n\n${track('s-3')}\n`)]);
    const result = await run(['import', '-', '--dry-run', '--no-progress'], { stdin });
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout).map((r) => [r.file, r.line, r.messageId])).toEqual([
      ['-', 1, 's-1'],
      ['-', 3, 's-3'],
    ]);
  });

  it('§1 a directory input is read in sorted order, each record naming its file', async () => {
    const tree = tmp('archive');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(tree, 'day-2'), { recursive: true });
    mkdirSync(join(tree, 'day-1'), { recursive: true });
    writeFileSync(join(tree, 'day-2', 'part.ndjson'), `${track('dir-2')}\n`);
    writeFileSync(join(tree, 'day-1', 'part.ndjson'), `${track('dir-1')}\n`);
    writeFileSync(join(tree, 'day-1', 'notes.txt'), 'not json\n');
    const result = await run(['import', tree, '--dry-run', '--no-progress']);
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout).map((r) => [r.file, r.messageId])).toEqual([
      [join(tree, 'day-1', 'part.ndjson'), 'dir-1'],
      [join(tree, 'day-2', 'part.ndjson'), 'dir-2'],
    ]);
  });
});

describe('§1 secrets never appear in output', () => {
  const TOKEN = 'tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

  it.each<{ name: string; args: string[]; env: Record<string, string> }>([
    { name: '§1 --token: records carry "<token>", the token is nowhere in stdout, stderr, --out or --rejects', args: ['--token', TOKEN], env: {} },
    { name: '§1 MIXPANEL_TOKEN: records carry "<token>", the token is nowhere in the output', args: [], env: { MIXPANEL_TOKEN: TOKEN } },
  ])('$name', async ({ args, env }) => {
    const input = writeInput('secret.ndjson', [
      track('sec-1'),
      JSON.stringify({ type: 'identify', messageId: 'sec-2', userId: 'u-sec2', timestamp: TIME_ISO, traits: { plan: 'gold' } }),
      '{not json',
    ]);
    const settings = writeJson('settings-secret.json', { people: true });
    const out = tmp('secret-out.ndjson');
    const rejects = tmp('secret-rejects.ndjson');
    const withOut = await run(['import', input, '--dry-run', '--settings', settings, '--out', out, '--rejects', rejects, '--json', ...args], { env });
    const toStdout = await run(['import', input, '--dry-run', '--settings', settings, ...args], { env });

    const outText = readFileSync(out, 'utf8');
    const records = parseNdjson(outText);
    expect(records.map((r) => [r.endpoint, r.record.properties?.token ?? r.record.$token])).toEqual([
      ['/import', '<token>'],
      ['/engage', '<token>'],
    ]);
    expect(toStdout.stdout).toBe(outText);
    for (const text of [withOut.stdout, withOut.stderr, toStdout.stdout, toStdout.stderr, outText, readFileSync(rejects, 'utf8')]) expect(text).not.toContain(TOKEN);
  });
});

describe('§1 usage and configuration errors exit 2 with a message naming the problem', () => {
  let input: string;
  beforeAll(() => {
    input = writeInput('usage.ndjson', [track('usage-1')]);
  });

  const cases: Array<{ name: string; args: () => string[]; message: RegExp[] }> = [
    { name: '§5 an unknown --identity value', args: () => ['import', input, '--dry-run', '--identity', 'merged'], message: [/--identity/, /merged/, /original or simplified/] },
    { name: '§1 --batch-size outside 1..2000 (real run)', args: () => ['import', input, '--token', 'tok-usage-1', '--batch-size', '2001'], message: [/--batch-size/, /2001/] },
    { name: '§1 --batch-size outside 1..2000 is refused in a dry run too', args: () => ['import', input, '--dry-run', '--batch-size', '0'], message: [/--batch-size/] },
    { name: '§1 --batch-size that is not a number', args: () => ['import', input, '--token', 'tok-usage-2', '--batch-size', 'lots'], message: [/--batch-size/, /lots/] },
    { name: '§1 a --types entry that is not a Segment type', args: () => ['import', input, '--dry-run', '--types', 'track,purchase'], message: [/--types/, /purchase/] },
    { name: '§1 an unparseable --from', args: () => ['import', input, '--dry-run', '--from', 'last tuesday'], message: [/--from/, /last tuesday/] },
    { name: '§1 --from not before --to', args: () => ['import', input, '--dry-run', '--from', '2026-11-02T00:00:00Z', '--to', '2026-11-01T00:00:00Z'], message: [/--from must be before --to/] },
    {
      name: '§3 a settings value of the wrong type names the key and the expected type',
      args: () => ['import', input, '--dry-run', '--settings', writeJson('bad-type.json', { people: 'yes' })],
      message: [/"people"/, /a boolean/],
    },
    { name: '§3 a settings file that is not JSON', args: () => ['import', input, '--dry-run', '--settings', writeInput('not-json.json', ['{people: true'])], message: [/--settings/, /not valid JSON/] },
    { name: '§3 a settings file that does not exist', args: () => ['import', input, '--dry-run', '--settings', join(dir.path, 'no-settings.json')], message: [/--settings/, /no-settings\.json/] },
    { name: '§1 a missing input file', args: () => ['import', join(dir.path, 'missing-day.ndjson.gz'), '--dry-run'], message: [/missing-day\.ndjson\.gz/, /no such file/] },
    { name: '§1 plain http --api-host to a non-loopback host', args: () => ['import', input, '--dry-run', '--api-host', 'http://mixpanel-proxy.example.com'], message: [/--api-host/, /loopback/] },
    { name: '§1 an unknown --region', args: () => ['import', input, '--dry-run', '--region', 'mars'], message: [/--region/, /mars/] },
    { name: '§1 a real run without any token', args: () => ['import', input], message: [/token/] },
    { name: '§1 an unknown flag', args: () => ['import', input, '--dry-runn'], message: [/--dry-runn/] },
    { name: '§1 import without inputs', args: () => ['import', '--dry-run'], message: [/inputs/] },
  ];

  it.each(cases)('$name', async ({ args, message }) => {
    const result = await run(args());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    for (const pattern of message) expect(result.stderr).toMatch(pattern);
  });

  it('§1 plain http to a loopback --api-host is accepted (exit 0)', async () => {
    const result = await run(['import', input, '--dry-run', '--api-host', 'http://127.0.0.1:9', '--no-progress']);
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout).map((r) => r.messageId)).toEqual(['usage-1']);
  });

  it('§3 an unknown settings key is a warning naming it, shown even with --quiet, and the run goes on (exit 0)', async () => {
    const settings = writeJson('unknown-key.json', { webhookUrls: ['x'], trackNamedPages: true });
    const result = await run(['import', input, '--dry-run', '--settings', settings, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: .*"webhookUrls"/);
    expect(result.stderr).not.toMatch(/"trackNamedPages"/);
    expect(parseNdjson(result.stdout).map((r) => r.messageId)).toEqual(['usage-1']);
  });

  it('§3 a settings typo stops the run before anything is read: exit 2, did you mean', async () => {
    const settings = writeJson('typo.json', { consolidatedPagesCalls: false });
    const result = await run(['import', input, '--dry-run', '--settings', settings, '--no-progress']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown setting "consolidatedPagesCalls": did you mean `consolidatedPageCalls`?');
    expect(result.stdout).toBe('');
  });

  it('§3 the settings file can come from MPX_SETTINGS', async () => {
    const settings = writeJson('env-bad.json', { trackAllPages: 'sometimes' });
    const result = await run(['import', input, '--dry-run'], { env: { MPX_SETTINGS: settings } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"trackAllPages".*a boolean/);
  });
});

describe('§1 help and version', () => {
  const SPEC_FLAGS = [
    '--settings',
    '--token',
    '--service-account',
    '--project-id',
    '--api-secret',
    '--region',
    '--api-host',
    '--identity',
    '--dry-run',
    '--out',
    '--from',
    '--to',
    '--types',
    '--concurrency',
    '--batch-size',
    '--rate',
    '--alias-delay',
    '--checkpoint',
    '--rejects',
    '--json',
    '--quiet',
    '--no-progress',
    '--max-retries',
    '--timeout',
  ];

  it.each(SPEC_FLAGS)('§1 import --help lists %s', async (flag) => {
    const result = await run(['import', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`(^|\\s)${flag.replace(/-/g, '\\-')}(\\s|,|$)`, 'm'));
  });

  it('§1 import --help has an Examples: section with an import command line', async () => {
    const result = await run(['import', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Examples:\n(\s+\$ mpx-replay import .+\n)+/m);
  });

  it('§1 --help names the import command and has an Examples: section, exit 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+import \[options\] <inputs\.\.\.>/m);
    expect(result.stdout).toMatch(/^\s+-V, --version/m);
    expect(result.stdout).toMatch(/^Examples:\n\s+\$ mpx-replay import /m);
    expect(result.stderr).toBe('');
  });

  it('§1 --version prints the package version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('§1 no arguments at all prints the usage and exits 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Usage: mpx-replay/);
  });
});

describe('§1 inputs that hold no line at all are a mistake, not success', () => {
  const emptyFolder = (): string => {
    const path = tmp('empty-day');
    mkdirSync(path);
    return path;
  };
  const folderWithoutInputs = (): string => {
    const path = tmp('no-inputs-day');
    mkdirSync(path);
    writeFileSync(join(path, 'manifest.csv'), 'a,b\n');
    return path;
  };
  const emptyFile = (): string => {
    const path = tmp('empty.ndjson');
    writeFileSync(path, '');
    return path;
  };
  const emptyGzip = (): string => {
    const path = tmp('empty.ndjson.gz');
    writeFileSync(path, gzipSync(''));
    return path;
  };
  it.each([
    ['an empty folder', emptyFolder, /no input file in .*empty-day/],
    ['a folder with no input files', folderWithoutInputs, /no input file in .*no-inputs-day/],
    ['an empty file', emptyFile, /the inputs hold no line at all \(1 file read\)/],
    ['an empty gzip file', emptyGzip, /the inputs hold no line at all \(1 file read\)/],
  ])('%s: exit 2, nothing to send', async (_name, make, message) => {
    const result = await run(['import', make(), '--dry-run', '--out', tmp('out.ndjson'), '--no-progress']);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('empty stdin: exit 2', async () => {
    const result = await run(['import', '-', '--dry-run', '--no-progress'], { stdin: Readable.from([]) });
    expect(result.stderr).toContain('the inputs hold no line at all');
    expect(result.code).toBe(2);
  });

  it('a file of blank lines holds lines (none of them messages): exit 0', async () => {
    const path = tmp('blank.ndjson');
    writeFileSync(path, '\n\n\n');
    const result = await run(['import', path, '--dry-run', '--no-progress']);
    expect(result.code).toBe(0);
  });
});

describe('§1 --json: usage errors are a JSON object on stdout too', () => {
  it.each([
    ['a configuration error', ['import', 'in.ndjson', '--json'], 'no project token'],
    ['an unknown option', ['import', 'in.ndjson', '--bogus', '--json'], "unknown option '--bogus'"],
  ])('%s: exit 2, {status: "usage", errorCode: "usage", error}', async (_name, argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stdout) as Record<string, unknown>;
    expect({ version: error.version, status: error.status, exitCode: error.exitCode, errorCode: error.errorCode }).toEqual({ version: 2, status: 'usage', exitCode: 2, errorCode: 'usage' });
    expect(String(error.error)).toContain(message);
  });

  it('without --json a usage error leaves stdout empty', async () => {
    const result = await run(['import', 'in.ndjson']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
