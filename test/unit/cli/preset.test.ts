/** SPEC §10 through the CLI (in-process): preset selection, its warnings, the report's preset. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../support/run-main.js';
import { tempDir, type TempDir } from '../../support/temp-dir.js';

const RUN_START_MS = Date.UTC(2026, 10, 30, 12);
const PAGE = JSON.stringify({ type: 'page', messageId: 'cli-page-1', userId: 'u-cli-1', timestamp: '2026-11-29T10:00:00.000Z', properties: {} });

let dir: TempDir;
let input: string;

beforeAll(() => {
  dir = tempDir('mpx-preset-');
  input = dir.unique('page.ndjson');
  writeFileSync(input, `${PAGE}\n`);
});

afterAll(() => dir.cleanup());

async function dryRun(settings: Record<string, unknown>, extra: string[] = []) {
  const file = dir.unique('settings.json');
  writeFileSync(file, JSON.stringify(settings));
  const out = dir.unique('out.ndjson');
  const run = await runMain(['import', input, '--settings', file, '--dry-run', '--out', out, '--json', ...extra], { now: () => RUN_START_MS });
  if (run.code === 2) return { code: run.code, stderr: run.stderr, record: null, report: null };
  const record = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!).record as Record<string, unknown>;
  return { code: run.code, stderr: run.stderr, record, report: JSON.parse(run.stdout) as Record<string, unknown> };
}

describe('§10 --preset through the CLI', () => {
  it('§10 Actions keys select the preset: the page is "Viewed " and the report says actions', async () => {
    const run = await dryRun({ projectToken: 'tok-cli-9876' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.record?.event).toBe('Viewed ');
    expect(run.report?.preset).toBe('actions');
  });

  it('§10 --preset classic overrides them, with a warning naming the Actions-only key', async () => {
    const run = await dryRun({ projectToken: 'tok-cli-9876', group_key: 'org_id' }, ['--preset', 'classic']);
    expect(run.record?.event).toBe('Loaded a Page');
    expect(run.report?.preset).toBe('classic');
    expect(run.stderr).toContain('warning: Actions-only setting "group_key" ignored under --preset classic');
  });

  it('§10 classic settings under --preset actions are a warning', async () => {
    const run = await dryRun({ people: true }, ['--preset', 'actions']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: classic-only setting "people" ignored under --preset actions');
  });

  it('§1 an unknown --preset is a usage error, exit 2', async () => {
    const run = await dryRun({}, ['--preset', 'legacy']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--preset');
  });
});

describe('§10 --actions-alias through the CLI', () => {
  const ALIAS = JSON.stringify({ type: 'alias', messageId: 'cli-alias-1', previousId: 'anon-cli-7', userId: 'u-cli-alias-7', timestamp: '2026-11-29T10:00:00.000Z' });

  async function aliasDryRun(extra: string[]) {
    const aliasInput = dir.unique('alias.ndjson');
    writeFileSync(aliasInput, `${ALIAS}\n`);
    const out = dir.unique('alias-out.ndjson');
    const run = await runMain(['import', aliasInput, '--dry-run', '--out', out, '--json', ...extra], { now: () => RUN_START_MS });
    return { ...run, records: run.code === 2 ? [] : readFileSync(out, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { endpoint: string; record: unknown }) };
  }

  it('§10 with --preset actions, the alias is a $create_alias on /import (Actions alias action, plus time and $insert_id)', async () => {
    const run = await aliasDryRun(['--preset', 'actions', '--actions-alias']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.records).toEqual([
      { endpoint: '/import', file: expect.any(String), line: 1, messageId: 'cli-alias-1', record: { event: '$create_alias', properties: { distinct_id: 'anon-cli-7', alias: 'u-cli-alias-7', token: '<token>', time: Date.UTC(2026, 10, 29, 10), $insert_id: 'cli-alias-1' } } },
    ]);
  });

  it('§10 without the flag the preset skips it', async () => {
    const run = await aliasDryRun(['--preset', 'actions']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.records).toEqual([]);
    expect((JSON.parse(run.stdout) as { skipped: Record<string, { count: number }> }).skipped['alias is not mapped by the Actions preset']?.count).toBe(1);
  });

  it.each([
    { name: 'under --preset classic', extra: ['--preset', 'classic', '--actions-alias'] },
    { name: 'under the default preset (no Actions settings keys)', extra: ['--actions-alias'] },
  ])('§1 --actions-alias $name is a usage error (exit 2) naming the preset it needs', async ({ extra }) => {
    const run = await aliasDryRun(extra);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--actions-alias is for the actions preset (--preset actions, or Actions settings keys such as projectToken)');
  });
});
