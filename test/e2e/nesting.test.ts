/**
 * Deeply nested messages end to end (docs/architecture.md "Nesting"): a 10,000-level message,
 * wherever it is deep, is one rejected line with its reason, in a dry run and in an import,
 * with and without --rejects, inline and in workers; never a stack overflow that ends the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { ensureBuilt, jsonReport, runCli, tempDir, type Report } from '../support/cli.js';

const LEVELS = 10_000;
const REASON = 'nesting deeper than N levels';
const TIME = '2026-11-29T10:00:00.000Z';

let tmp: ReturnType<typeof tempDir>;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-nesting-');
}, 120_000);
afterAll(() => tmp.cleanup());
/** One server per test, on 127.0.0.1 and a free port; closed after the test. */
const server = useTestServers();

const deepObject = (levels: number, leaf: string): string => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
const deepList = (levels: number, leaf: string): string => `${'['.repeat(levels)}${leaf}${']'.repeat(levels)}`;
/** A message's JSON with `field` set to raw JSON text. */
const withField = (message: Record<string, unknown>, field: string, json: string): string => `${JSON.stringify(message).slice(0, -1)},"${field}":${json}}`;

/** One line per walk a message can reach: each deep line must be rejected, the others delivered. */
const LINES: Array<{ name: string; text: string; rejected: string | null; messageId: string | null }> = [
  { name: 'track, deep properties, with messageId', text: withField({ type: 'track', event: 'E', userId: 'u-1', messageId: 'deep-1', timestamp: TIME }, 'properties', deepObject(LEVELS, '1')), rejected: REASON, messageId: 'deep-1' },
  { name: 'track, deep properties, no messageId ($insert_id from canonical JSON)', text: withField({ type: 'track', event: 'E', userId: 'u-2', timestamp: TIME }, 'properties', deepObject(LEVELS, '2')), rejected: REASON, messageId: null },
  { name: 'identify, deep traits holding a date (profile date normalisation)', text: withField({ type: 'identify', userId: 'u-3', messageId: 'deep-3', timestamp: TIME }, 'traits', deepObject(LEVELS, '"2026-01-01T00:00:00Z"')), rejected: REASON, messageId: 'deep-3' },
  { name: 'group, deep traits', text: withField({ type: 'group', userId: 'u-4', groupId: 'g-4', timestamp: TIME }, 'traits', deepObject(LEVELS, '"x"')), rejected: REASON, messageId: null },
  { name: 'alias, deep context (the alias pass)', text: withField({ type: 'alias', previousId: 'anon-5', userId: 'u-5', messageId: 'deep-5', timestamp: TIME }, 'context', deepObject(LEVELS, '5')), rejected: REASON, messageId: 'deep-5' },
  { name: 'track, deep list with a lone surrogate (UTF-8 check)', text: withField({ type: 'track', event: 'E', userId: 'u-6', timestamp: TIME }, 'properties', `{"l":${deepList(LEVELS, '"\\ud800"')}}`), rejected: REASON, messageId: null },
  { name: 'unsupported type, deep', text: withField({ type: 'deep', messageId: 'deep-7' }, 'x', deepObject(LEVELS, '7')), rejected: REASON, messageId: 'deep-7' },
  { name: 'a top-level list, deep', text: deepList(LEVELS, '8'), rejected: 'not a JSON object: found an array', messageId: null },
  { name: 'track nested exactly 100 levels in an unsent context field', text: withField({ type: 'track', event: 'Kept', userId: 'u-9', messageId: 'ok-9', timestamp: TIME }, 'context', `{"extra":${deepObject(97, '9')}}`), rejected: null, messageId: 'ok-9' },
  { name: 'a plain track', text: JSON.stringify({ type: 'track', event: 'Kept', userId: 'u-10', messageId: 'ok-10', timestamp: TIME }), rejected: null, messageId: 'ok-10' },
];

function inputFile(): string {
  const path = tmp.unique('deep.ndjson');
  writeFileSync(path, `${LINES.map((l) => l.text).join('\n')}\n`);
  return path;
}

type FullReport = Report & { skipped: Record<string, unknown> };

function expectOneRejectionPerDeepLine(report: FullReport, file: string): void {
  expect(report.messages).toMatchObject({ read: LINES.length, delivered: 2, skipped: 0, rejected: LINES.length - 2, unsettled: 0 });
  const examples = (reason: string): string[] => report.rejected[reason]!.examples.map((e) => e.slice(file.length + 1));
  expect(report.rejected[REASON]).toMatchObject({ count: 7, stage: 'input' });
  // The first five places (an import settles the alias line first, in its own pass).
  expect(examples(REASON).sort()).toEqual(['1', '2', '3', '4', '5']);
  expect(report.rejected['not a JSON object: found an array']).toMatchObject({ count: 1, stage: 'input' });
}

/** The rejects file: one valid JSON line per rejected line, with its messageId and the original text as its message. */
function expectRejectsFile(path: string, file: string): void {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const expected = LINES.map((l, i) => ({ ...l, line: i + 1 })).filter((l) => l.rejected !== null);
  expect(lines.length).toBe(expected.length);
  // In an import the alias line's rejection comes first (its own pass): matched by line number.
  const byLine = new Map(lines.map((text) => [(JSON.parse(text) as { line: number }).line, text]));
  expect([...byLine.keys()].sort((a, b) => a - b)).toEqual(expected.map((l) => l.line));
  expected.forEach((want) => {
    const text = byLine.get(want.line)!;
    const head = JSON.stringify({ file, line: want.line, messageId: want.messageId, stage: 'input', reason: want.rejected === REASON ? 'nesting deeper than 100 levels' : want.rejected });
    expect(text.startsWith(`${head.slice(0, -1)},"message":`), want.name).toBe(true);
    expect(text.endsWith(`${want.text}}`), want.name).toBe(true);
  });
}

describe('a 10,000-level message is one rejected line (table: where it is deep × how the run is made)', () => {
  it.each([
    { run: 'dry run, inline', flags: ['--dry-run', '--threads', '0'], rejects: false },
    { run: 'dry run, inline, --rejects', flags: ['--dry-run', '--threads', '0'], rejects: true },
    { run: 'dry run, 2 workers', flags: ['--dry-run', '--threads', '2'], rejects: false },
    { run: 'dry run, 2 workers, --rejects', flags: ['--dry-run', '--threads', '2'], rejects: true },
    { run: 'import, 2 workers', flags: [], rejects: false },
    { run: 'import, inline, --rejects', flags: ['--threads', '0'], rejects: true },
  ])('$run: exit 1, the deep lines rejected with their reason, the others delivered', async ({ flags, rejects }) => {
    const file = inputFile();
    const rejectsFile = tmp.unique('rejects.ndjson');
    const extra = [...flags, ...(rejects ? ['--rejects', rejectsFile] : [])];
    let hostFlags: string[] = ['--out', tmp.unique('out.ndjson')];
    if (!flags.includes('--dry-run')) {
      const mp = await server();
      hostFlags = ['--api-host', mp.url, '--token', DEFAULT_PROJECT.token, '--api-secret', DEFAULT_PROJECT.apiSecret, '--alias-delay', '10'];
    }
    const result = await runCli(['import', file, '--settings', settingsFile(), '--json', '--quiet', ...hostFlags, ...extra]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).not.toContain('stack');
    expectOneRejectionPerDeepLine(jsonReport(result.stdout) as FullReport, file);
    if (rejects) expectRejectsFile(rejectsFile, file);
  });

  it('diff: a dry-run file with a 10,000-level record is malformed input (exit 2), not a crash', async () => {
    const good = '{"endpoint":"/import","file":"f","line":1,"messageId":"m","record":{"event":"E","properties":{}}}';
    const before = tmp.unique('before.ndjson');
    const after = tmp.unique('after.ndjson');
    writeFileSync(before, `${good}\n`);
    writeFileSync(after, `${good}\n{"endpoint":"/import","file":"f","line":2,"messageId":"n","record":${deepObject(LEVELS, '1')}}\n`);
    const result = await runCli(['diff', before, after]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${after}:2: not a dry-run record: nesting deeper than 100 levels`);
  });
});

function settingsFile(): string {
  const path = tmp.unique('settings.json');
  writeFileSync(path, JSON.stringify({ people: true, groupIdentifierTraits: ['company_id'] }));
  return path;
}
