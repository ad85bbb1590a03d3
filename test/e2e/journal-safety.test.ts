/**
 * The checkpoint journal is never trusted beyond what was delivered (issue 15; README "Resume
 * and checkpoint", docs/architecture.md "Settling lines, and the checkpoint journal"). The built
 * CLI against the test server, over loopback.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { generateMessages } from '../support/synth/index.js';
import { ensureBuilt, jsonReport, runCli, tempDir, writeLines } from '../support/cli.js';

const MESSAGES = 2_000;
const CREDENTIALS = ['--token', DEFAULT_PROJECT.token, '--api-secret', DEFAULT_PROJECT.apiSecret, '--backoff', '20', '--quiet', '--json'];

let tmp: ReturnType<typeof tempDir>;
let input: string;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-journal-');
  input = writeLines(join(tmp.path, 'day.ndjson'), generateMessages({ count: MESSAGES, seed: 1516 }));
}, 120_000);


afterAll(() => tmp.cleanup());

/** One server per test, on 127.0.0.1 and a free port; closed after the test. */
const server = useTestServers();

/** The report's `resumed`: lines an earlier run's journal had settled. */
function resumedOf(report: object): number {
  return (report as { resumed: number }).resumed;
}

/** The lines of `file` (1…lines) the journal at `checkpoint` holds as settled (its one file entry). */
function settledLines(checkpoint: string, file: string, lines: number): Set<number> {
  const journal = JSON.parse(readFileSync(checkpoint, 'utf8')) as { files: Record<string, { through: number; extra: number[] }> };
  const entries = Object.values(journal.files);
  expect(entries.length, file).toBe(1);
  const { through, extra } = entries[0]!;
  const settled = new Set(extra);
  for (let line = 1; line <= Math.min(through, lines); line += 1) settled.add(line);
  return settled;
}

describe('a dry run never writes a journal that a delivery would trust', () => {
  it('--checkpoint with --dry-run is refused (exit 2, no journal written); an import with that checkpoint then delivers every line', async () => {
    const checkpoint = tmp.unique('dry.checkpoint');
    const dry = await runCli(['import', input, '--dry-run', '--out', tmp.unique('dry.ndjson'), '--checkpoint', checkpoint, '--quiet']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/--checkpoint cannot be used with --dry-run/);
    expect(existsSync(checkpoint)).toBe(false);

    const mp = await server();
    const result = await runCli(['import', input, '--api-host', mp.url, '--checkpoint', checkpoint, ...CREDENTIALS]);
    expect(result.code, result.stderr).toBe(0);
    const report = jsonReport(result.stdout);
    const { read, delivered, skipped, rejected } = report.messages;
    expect({ read, settled: delivered + skipped + rejected, resumed: resumedOf(report) }).toEqual({ read: MESSAGES, settled: MESSAGES, resumed: 0 });
    expect(delivered).toBeGreaterThan(MESSAGES / 2);
    expect(mp.accepted.length).toBeGreaterThanOrEqual(delivered);
  }, 60_000);
});

describe('a rejects file that cannot be written stops the run, and its lines stay unsettled', () => {
  it('--rejects /dev/full: fatal, exit 3; no line whose reject was lost is settled in the checkpoint', async () => {
    const lines: string[] = [];
    const bad = new Set<number>();
    const good = [...generateMessages({ count: 3_000, seed: 1518 })];
    for (const [i, message] of good.entries()) {
      lines.push(message);
      // A broken line after every good one: 3,000 rejects, well over one 256 KiB flush of the rejects file.
      lines.push(`{"type":"track","event":"broken ${i}", "padding":"${'p'.repeat(80)}"`);
      bad.add(lines.length);
    }
    const file = writeLines(tmp.unique('with-bad.ndjson'), lines);
    const checkpoint = tmp.unique('full.checkpoint');
    const mp = await server();
    const result = await runCli(['import', file, '--api-host', mp.url, '--checkpoint', checkpoint, '--rejects', '/dev/full', ...CREDENTIALS]);
    expect(result.code, result.stderr).toBe(3);
    const report = jsonReport(result.stdout);
    expect(report.error).toMatch(/rejects file.*ENOSPC|ENOSPC.*rejects/);
    const settled = settledLines(checkpoint, file, lines.length);
    const settledBad = [...bad].filter((line) => settled.has(line));
    expect({ settledBad: settledBad.length }).toEqual({ settledBad: 0 });
    // …while the good lines before the failure were settled: the journal was written at all.
    expect(settled.size).toBeGreaterThan(0);
  }, 90_000);
});
