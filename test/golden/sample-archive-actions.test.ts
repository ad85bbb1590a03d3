/**
 * Golden files of the Actions preset (SPEC §10): the sample archive mapped with
 * fixtures/settings-actions.json (whose Actions keys select the preset) must give exactly the
 * reviewed records, rejects and report. Regenerate them only after a reviewed mapping change
 * (README "Golden files", with fixtures/settings-actions.json and sample-actions.* names).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/run-main.js';

const RUN_START = Date.UTC(2026, 10, 30, 12);

async function dryRunSample(extra: string[] = []): Promise<{ code: number; records: string; rejects: string; report: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mpx-golden-actions-'));
  const out = join(dir, 'records.ndjson');
  const rejects = join(dir, 'rejects.ndjson');
  const argv = ['import', 'fixtures/segment-logs', '--settings', 'fixtures/settings-actions.json', '--dry-run', '--out', out, '--rejects', rejects, '--json', '--quiet', ...extra];
  const run = await runMain(argv, { now: () => RUN_START });
  return { code: run.code, records: readFileSync(out, 'utf8'), rejects: readFileSync(rejects, 'utf8'), report: JSON.parse(run.stdout) };
}

describe('golden: the sample archive under the Actions preset', () => {
  it('§10 dry-run records equal fixtures/sample-actions.expected.ndjson byte for byte', async () => {
    const run = await dryRunSample();
    expect(run.records).toBe(readFileSync('fixtures/sample-actions.expected.ndjson', 'utf8'));
  });

  it('§10 --preset actions with the same settings gives the same records', async () => {
    const run = await dryRunSample(['--preset', 'actions']);
    expect(run.records).toBe(readFileSync('fixtures/sample-actions.expected.ndjson', 'utf8'));
  });

  it('§7 rejected lines equal fixtures/sample-actions.expected-rejects.ndjson, exit 1', async () => {
    const run = await dryRunSample();
    expect(run.code).toBe(1);
    expect(run.rejects).toBe(readFileSync('fixtures/sample-actions.expected-rejects.ndjson', 'utf8'));
  });

  it('§10 the report equals fixtures/sample-actions.expected-report.json, names the preset, and its counts add up', async () => {
    const { report } = await dryRunSample();
    const { wallMs: _wall, recordsPerSecond: _rate, ...stable } = report;
    expect(stable).toEqual(JSON.parse(readFileSync('fixtures/sample-actions.expected-report.json', 'utf8')));
    expect(report.preset).toBe('actions');
    const messages = report.messages as Record<string, number>;
    expect(messages.delivered! + messages.skipped! + messages.rejected!).toBe(messages.read);
  });

  it('§10 the sample\'s aliases are skipped and no record carries a classic-only name', async () => {
    const run = await dryRunSample();
    const skipped = run.report.skipped as Record<string, { count: number }>;
    expect(skipped['alias is not mapped by the Actions preset']?.count).toBeGreaterThanOrEqual(500);
    expect(run.records).not.toMatch(/"mp_lib":"Segment: |"\$screen_dpi"|"\$referring_domain"|"Loaded a (Page|Screen)"|"\$create_alias"/);
  });
});
