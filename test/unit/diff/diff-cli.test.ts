/**
 * `mpx-replay diff <before> <after>` run in-process through `main(argv, io)` (SPEC §8):
 * matching, human and JSON output, colour, exit codes, bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { engageLine, plain, trackLine, writeDry, type DryLine } from '../../support/dry-lines.js';
import { runMain } from '../../support/run-main.js';
import { tempDir } from '../../support/temp-dir.js';

const tmp = tempDir('mpx-diff-');
afterAll(() => tmp.cleanup());

const TIME_ISO = '2026-11-29T08:15:30.250Z';

describe('identical dry runs', () => {
  it('exit 0 and "no differences", with the summary', async () => {
    const lines = [trackLine(1, 'm-1', 'Signed Up'), engageLine(2, 'm-2', '$set', { plan: 'pro' })];
    const before = writeDry(tmp.unique('before.ndjson'), lines);
    const after = writeDry(tmp.unique('after.ndjson'), lines);
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no differences: 2 records identical');
    expect(result.stdout).toMatch(/^\/import\s+0\s+0\s+0\s+1$/m);
    expect(result.stdout).toMatch(/^ {2}\$set\s+0\s+0\s+0\s+1$/m);
    expect(result.stderr).toBe('');
  });

  it('an empty pair of files is identical', async () => {
    const result = await runMain(['diff', writeDry(tmp.unique('a.ndjson'), []), writeDry(tmp.unique('b.ndjson'), [])]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no differences: 0 records identical');
  });
});

describe('consolidated page calls → named pages, through the real dry run', () => {
  const messages = [
    { type: 'track', event: 'Signed Up', messageId: 'm-track-1', userId: 'u-1', timestamp: TIME_ISO, properties: { plan: 'pro' } },
    { type: 'page', name: 'Home', messageId: 'm-page-home', userId: 'u-1', timestamp: TIME_ISO, properties: { path: '/' } },
    { type: 'identify', messageId: 'm-identify', userId: 'u-1', timestamp: TIME_ISO, traits: { plan: 'pro', email: 'u1@example.com' } },
    { type: 'page', name: 'Pricing', messageId: 'm-page-pricing', userId: 'u-2', timestamp: TIME_ISO, properties: { path: '/pricing' } },
    { type: 'track', event: 'Order Completed', messageId: 'm-track-2', userId: 'u-2', timestamp: TIME_ISO, properties: { items: 2 } },
    { type: 'page', messageId: 'm-page-unnamed', userId: 'u-3', timestamp: TIME_ISO, properties: { path: '/x' } },
  ];

  async function dryRun(settings: string): Promise<string> {
    const input = tmp.unique('input.ndjson');
    writeFileSync(input, messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
    const out = tmp.unique('dry.ndjson');
    const result = await runMain(['import', input, '--settings', settings, '--dry-run', '--out', out, '--quiet']);
    expect(result.code).toBe(0);
    return out;
  }

  it('every named page shows its event-name change; unnamed pages are only in before; no track record changes', async () => {
    const before = await dryRun('fixtures/settings.json');
    const after = await dryRun('fixtures/settings-named-pages.json');
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(/^~ \/import messageId=m-page-home \(.*input\.ndjson:2\) "Loaded a Page" → "Viewed Home Page"\n {4}~ event: "Loaded a Page" → "Viewed Home Page"\n~/m);
    expect(out).toMatch(/^~ \/import messageId=m-page-pricing \(.*input\.ndjson:4\) "Loaded a Page" → "Viewed Pricing Page"\n {4}~ event: "Loaded a Page" → "Viewed Pricing Page"\n\n/m);
    expect(out).toMatch(/^only in before \(1\):\n- \/import messageId=m-page-unnamed \(.*input\.ndjson:6\) "Loaded a Page"$/m);
    expect(out).not.toMatch(/messageId=m-track/);
    expect(out).toMatch(/^ {2}"Signed Up"\s+0\s+0\s+0\s+1$/m);
    expect(out).toMatch(/^ {2}"Loaded a Page"\s+1\s+0\s+2\s+0$/m);

    const json = JSON.parse((await runMain(['diff', before, after, '--json'])).stdout) as { changed: { key: { messageId: string }; name: { before: string } }[] };
    expect(json.changed.map((c) => c.key.messageId)).toEqual(['m-page-home', 'm-page-pricing']);
    expect(new Set(json.changed.map((c) => c.name.before))).toEqual(new Set(['Loaded a Page']));
  });
});

describe('matching and listing', () => {
  it('a changed record lists each property change by dotted path under its header', async () => {
    const before = writeDry(tmp.unique('b.ndjson'), [trackLine(42, 'ajs-123', 'Loaded a Page', { $os: 'iOS', old: 1, location: { section: 'hero', position: { x: 1 } } })]);
    const after = writeDry(tmp.unique('a.ndjson'), [trackLine(42, 'ajs-123', 'Viewed Home Page', { $os: 'ios', plan: 'pro', location: { section: 'hero', position: { x: 2 } } })]);
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      [
        'changed (1):',
        '~ /import messageId=ajs-123 (events.ndjson:42) "Loaded a Page" → "Viewed Home Page"',
        '    ~ event: "Loaded a Page" → "Viewed Home Page"',
        '    ~ properties.$os: "iOS" → "ios"',
        '    - properties.old: 1',
        '    ~ properties.location.position.x: 1 → 2',
        '    + properties.plan: "pro"',
      ].join('\n'),
    );
  });

  it('records only in one file are listed with - and +', async () => {
    const before = writeDry(tmp.unique('b.ndjson'), [trackLine(1, 'm-a', 'A'), trackLine(2, 'm-b', 'B')]);
    const after = writeDry(tmp.unique('a.ndjson'), [trackLine(1, 'm-a', 'A'), trackLine(3, 'm-c', 'C')]);
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('only in before (1):\n- /import messageId=m-b (events.ndjson:2) "B"\n');
    expect(result.stdout).toContain('only in after (1):\n+ /import messageId=m-c (events.ndjson:3) "C"\n');
    expect(result.stdout).toContain('1 only in before, 1 only in after, 0 changed, 1 identical');
  });

  it('records match by their position within the message, per endpoint', async () => {
    const before = writeDry(tmp.unique('b.ndjson'), [trackLine(5, 'm-1', 'E'), engageLine(5, 'm-1', '$set', { a: 1 }), engageLine(5, 'm-1', '$add', { n: 1 })]);
    const after = writeDry(tmp.unique('a.ndjson'), [trackLine(5, 'm-1', 'E'), engageLine(5, 'm-1', '$set', { a: 1 }), engageLine(5, 'm-1', '$add', { n: 1 }), engageLine(5, 'm-1', '$union', { t: ['x'] })]);
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('only in after (1):\n+ /engage messageId=m-1 #3 (events.ndjson:5) $union\n');
    expect(result.stdout).toContain('0 only in before, 1 only in after, 0 changed, 3 identical');
  });

  it('a record without messageId matches by file:line', async () => {
    const before = writeDry(tmp.unique('b.ndjson'), [trackLine(7, null, 'E', { v: 1 }), trackLine(8, null, 'E', { v: 1 })]);
    const after = writeDry(tmp.unique('a.ndjson'), [trackLine(7, null, 'E', { v: 2 }), trackLine(8, null, 'E', { v: 1 })]);
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('~ /import messageId=null (events.ndjson:7) "E"\n    ~ properties.v: 1 → 2\n');
    expect(result.stdout).toContain('0 only in before, 0 only in after, 1 changed, 1 identical');
  });

  it('records in a different order in the two files still match', async () => {
    const lines: DryLine[] = [];
    for (let i = 1; i <= 50; i += 1) lines.push(trackLine(i, `m-${i}`, `E${i % 3}`), engageLine(i, `m-${i}`, '$set', { i }));
    const before = writeDry(tmp.unique('b.ndjson'), lines);
    const after = writeDry(tmp.unique('a.ndjson'), [...lines].reverse());
    const result = await runMain(['diff', before, after]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no differences: 100 records identical');
  });

  it('the same records written with a different input path are identical', async () => {
    const before = writeDry(tmp.unique('b.ndjson'), [trackLine(1, 'm-1', 'E', {}, 'logs/day.ndjson')]);
    const after = writeDry(tmp.unique('a.ndjson'), [trackLine(1, 'm-1', 'E', {}, './logs/day.ndjson')]);
    expect((await runMain(['diff', before, after])).code).toBe(0);
  });

  it('"-" reads one of the two files from stdin', async () => {
    const lines = [trackLine(1, 'm-1', 'E'), engageLine(1, 'm-1', '$set', { a: 1 })];
    const after = writeDry(tmp.unique('a.ndjson'), lines);
    const stdin = Readable.from([Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')]);
    const result = await runMain(['diff', '-', after], { stdin });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no differences: 2 records identical');
  });

  it('"-" for both files is a usage error', async () => {
    const result = await runMain(['diff', '-', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('only one of <before> and <after> can be "-"');
  });

  it('gzip input is read like plain input', async () => {
    const { gzipSync } = await import('node:zlib');
    const plainPath = writeDry(tmp.unique('b.ndjson'), [trackLine(1, 'm-1', 'E')]);
    const gz = tmp.unique('a.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(plainPath)));
    expect((await runMain(['diff', plainPath, gz])).code).toBe(0);
  });
});

describe('--json', () => {
  it('one versioned object with the lists, the changes and exact counts', async () => {
    const before = writeDry(tmp.unique('b.ndjson'), [trackLine(1, 'm-1', 'A', { os: 'iOS', old: 1 }), trackLine(2, 'm-2', 'B'), engageLine(3, 'm-3', '$set', { a: 1 })]);
    const after = writeDry(tmp.unique('a.ndjson'), [trackLine(1, 'm-1', 'A', { os: 'ios', plan: 'pro' }), engageLine(3, 'm-3', '$set', { a: 1 }), trackLine(4, 'm-4', 'C')]);
    const result = await runMain(['diff', before, after, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      identical: false,
      onlyBefore: [{ key: { endpoint: '/import', messageId: 'm-2', index: 0 }, name: 'B', file: 'events.ndjson', line: 2, record: trackLine(2, 'm-2', 'B').record }],
      onlyAfter: [{ key: { endpoint: '/import', messageId: 'm-4', index: 0 }, name: 'C', file: 'events.ndjson', line: 4, record: trackLine(4, 'm-4', 'C').record }],
      changed: [
        {
          key: { endpoint: '/import', messageId: 'm-1', index: 0 },
          name: { before: 'A', after: 'A' },
          before: { file: 'events.ndjson', line: 1 },
          after: { file: 'events.ndjson', line: 1 },
          changes: [
            { op: '~', path: 'properties.os', before: 'iOS', after: 'ios' },
            { op: '-', path: 'properties.old', before: 1 },
            { op: '+', path: 'properties.plan', after: 'pro' },
          ],
        },
      ],
      omitted: { onlyBefore: 0, onlyAfter: 0, changed: 0 },
      summary: {
        total: { onlyBefore: 1, onlyAfter: 1, changed: 1, identical: 1 },
        byEndpoint: { '/import': { onlyBefore: 1, onlyAfter: 1, changed: 1, identical: 0 }, '/engage': { onlyBefore: 0, onlyAfter: 0, changed: 0, identical: 1 } },
        byName: [
          { endpoint: '/import', name: 'A', onlyBefore: 0, onlyAfter: 0, changed: 1, identical: 0 },
          { endpoint: '/import', name: 'B', onlyBefore: 1, onlyAfter: 0, changed: 0, identical: 0 },
          { endpoint: '/import', name: 'C', onlyBefore: 0, onlyAfter: 1, changed: 0, identical: 0 },
          { endpoint: '/engage', name: '$set', onlyBefore: 0, onlyAfter: 0, changed: 0, identical: 1 },
        ],
      },
    });
  });

  it('identical files give identical: true and exit 0', async () => {
    const lines = [trackLine(1, 'm-1', 'A')];
    const result = await runMain(['diff', writeDry(tmp.unique('b.ndjson'), lines), writeDry(tmp.unique('a.ndjson'), lines), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: 1, identical: true, onlyBefore: [], onlyAfter: [], changed: [] });
  });
});

describe('colour', () => {
  const before = () => writeDry(tmp.unique('b.ndjson'), [trackLine(1, 'm-1', 'A', { x: 1 }), trackLine(2, 'm-2', 'B')]);
  const after = () => writeDry(tmp.unique('a.ndjson'), [trackLine(1, 'm-1', 'A', { x: 2 }), trackLine(3, 'm-3', 'C')]);
  type Case = { name: string; tty: boolean; env: Record<string, string>; json: boolean; coloured: boolean; flags?: string[] };
  const cases: Case[] = [
    { name: 'a terminal without NO_COLOR gets colour', tty: true, env: {}, json: false, coloured: true },
    { name: 'NO_COLOR turns colour off on a terminal', tty: true, env: { NO_COLOR: '1' }, json: false, coloured: false },
    { name: 'piped output has no colour', tty: false, env: {}, json: false, coloured: false },
    { name: '--json never has colour', tty: true, env: {}, json: true, coloured: false },
    { name: '--color gives colour in a pipe (for less -R)', tty: false, env: {}, json: false, coloured: true, flags: ['--color'] },
    { name: '--color wins over NO_COLOR', tty: false, env: { NO_COLOR: '1' }, json: false, coloured: true, flags: ['--color'] },
    { name: '--no-color turns colour off on a terminal', tty: true, env: {}, json: false, coloured: false, flags: ['--no-color'] },
  ];
  it.each(cases)('$name', async ({ tty, env, json, coloured, flags = [] }) => {
    const result = await runMain(['diff', before(), after(), ...(json ? ['--json'] : []), ...flags], { tty, env });
    expect(result.stdout.includes('\u001b[')).toBe(coloured);
  });

  it('green +, red -, yellow ~, and otherwise the same text as without colour', async () => {
    const files = [before(), after()];
    const { stdout } = await runMain(['diff', ...files], { tty: true });
    expect(stdout).toContain('\u001b[31m- /import messageId=m-2');
    expect(stdout).toContain('\u001b[32m+ /import messageId=m-3');
    expect(stdout).toContain('\u001b[33m~ /import messageId=m-1');
    expect(stdout).toContain('\u001b[33m~ properties.x: 1 → 2\u001b[39m');
    expect(plain(stdout)).toBe((await runMain(['diff', ...files])).stdout);
  });
});

describe('bad input: exit 2, the message says file, line and what was expected', () => {
  const good = JSON.stringify(trackLine(1, 'm-1', 'A'));
  type Case = { name: string; lines: string[]; message: RegExp };
  const cases: Case[] = [
    { name: 'a line that is not JSON', lines: [good, '{"endpoint":'], message: /:2: not a dry-run record: invalid JSON .*; expected \{"endpoint":"\/import"\|"\/engage"\|"\/groups"/ },
    { name: 'a JSON array', lines: ['[1,2]'], message: /:1: not a dry-run record: found an array, not an object; expected / },
    { name: 'no endpoint (e.g. a Segment message, not a dry-run record)', lines: [good, good, JSON.stringify({ type: 'track', event: 'A' })], message: /:3: not a dry-run record: "endpoint" is missing; expected / },
    { name: 'an unknown endpoint', lines: [JSON.stringify({ ...trackLine(1, 'm', 'A'), endpoint: '/track' })], message: /:1: not a dry-run record: "endpoint" is "\/track"; expected / },
    { name: 'a record that is not an object', lines: [JSON.stringify({ ...trackLine(1, 'm', 'A'), record: 'x' })], message: /:1: not a dry-run record: "record" is "x"; expected / },
    { name: 'a messageId that is neither a string nor null', lines: [JSON.stringify({ ...trackLine(1, 'm', 'A'), messageId: 7 })], message: /:1: not a dry-run record: "messageId" is 7; expected / },
  ];
  it.each(cases)('$name', async ({ lines, message }) => {
    const goodFile = writeDry(tmp.unique('good.ndjson'), [good]);
    const badFile = tmp.unique('bad.ndjson');
    writeFileSync(badFile, lines.join('\n') + '\n');
    const result = await runMain(['diff', goodFile, badFile]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`mpx-replay: diff: ${badFile}:`);
    expect(result.stderr).toMatch(message);
  });

  it('an unreadable file', async () => {
    const missing = tmp.unique('missing.ndjson');
    const result = await runMain(['diff', missing, writeDry(tmp.unique('a.ndjson'), [])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`mpx-replay: diff: ${missing}: cannot read it (ENOENT)\n`);
  });

  it('a missing argument is a usage error', async () => {
    expect((await runMain(['diff', 'only-one.ndjson'])).code).toBe(2);
  });
});
