/**
 * Golden files: the sample archive in fixtures/ mapped with fixtures/settings.json must give
 * exactly the reviewed records, rejects and report counts. Regenerate them only after a reviewed
 * mapping change (see README, "Golden files").
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/run-main.js';

const RUN_START = Date.UTC(2026, 10, 30, 12);

async function dryRunSample(settings: string): Promise<{ code: number; records: string; rejects: string; report: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mpx-golden-'));
  const out = join(dir, 'records.ndjson');
  const rejects = join(dir, 'rejects.ndjson');
  const run = await runMain(['import', 'fixtures/segment-logs', '--settings', settings, '--dry-run', '--out', out, '--rejects', rejects, '--json', '--quiet'], { now: () => RUN_START });
  return { code: run.code, records: readFileSync(out, 'utf8'), rejects: readFileSync(rejects, 'utf8'), report: JSON.parse(run.stdout) };
}

describe('golden: the sample archive', () => {
  it('§8 dry-run records equal fixtures/sample.expected.ndjson byte for byte', async () => {
    const run = await dryRunSample('fixtures/settings.json');
    expect(run.records).toBe(readFileSync('fixtures/sample.expected.ndjson', 'utf8'));
  });

  it('§7 rejected lines equal fixtures/sample.expected-rejects.ndjson, exit 1', async () => {
    const run = await dryRunSample('fixtures/settings.json');
    expect(run.code).toBe(1);
    expect(run.rejects).toBe(readFileSync('fixtures/sample.expected-rejects.ndjson', 'utf8'));
  });

  it('§1 the report equals fixtures/sample.expected-report.json and its counts add up to the lines read', async () => {
    const { report } = await dryRunSample('fixtures/settings.json');
    const { wallMs: _wall, recordsPerSecond: _rate, startedAt: _start, endedAt: _end, ...stable } = report;
    expect(stable).toEqual(JSON.parse(readFileSync('fixtures/sample.expected-report.json', 'utf8')));
    const messages = report.messages as Record<string, number>;
    expect(messages.delivered! + messages.skipped! + messages.rejected!).toBe(messages.read);
    expect(messages.read).toBeGreaterThanOrEqual(3600);
  });

  it('the sample holds at least 500 messages of every Segment type', async () => {
    const { report } = await dryRunSample('fixtures/settings.json');
    const byType = (report.messages as { byType: Record<string, number> }).byType;
    for (const type of ['track', 'page', 'screen', 'identify', 'alias', 'group']) expect(byType[type], type).toBeGreaterThanOrEqual(500);
  });
});
