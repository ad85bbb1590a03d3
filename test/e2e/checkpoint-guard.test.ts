/**
 * What keeps a checkpoint from being trusted wrongly (issue 15; README "Resume and checkpoint"):
 * one run per checkpoint (a lock), journal entries keyed by the resolved path, a journal that
 * cannot be written stops the run. The built CLI against the test server, over loopback.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT, type MixpanelTestServer } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { generateMessages } from '../support/synth/index.js';
import { ensureBuilt, jsonReport, ROOT, runCli, startCli, tempDir, writeLines, type CliResult } from '../support/cli.js';

const MESSAGES = 2_000;
const CREDENTIALS = ['--token', DEFAULT_PROJECT.token, '--api-secret', DEFAULT_PROJECT.apiSecret, '--backoff', '20', '--json'];
/** Small batches, few connections, a slow server: a run of MESSAGES lasts a second or more. */
const SLOW = ['--batch-size', '50', '--concurrency', '2'];

let tmp: ReturnType<typeof tempDir>;
let input: string;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-guard-');
  input = writeLines(join(tmp.path, 'day.ndjson'), generateMessages({ count: MESSAGES, seed: 1521 }));
}, 120_000);

afterAll(() => tmp.cleanup());

const server = useTestServers();

function importArgs(file: string, mp: MixpanelTestServer, checkpoint: string, extra: readonly string[] = []): string[] {
  return ['import', file, '--api-host', mp.url, '--checkpoint', checkpoint, ...CREDENTIALS, ...extra];
}

/** Every line read was settled, and the run read `read` lines and resumed `resumed`. */
function completed(result: CliResult): { code: number | null; read: number; settled: number; resumed: number } {
  const report = jsonReport(result.stdout) as ReturnType<typeof jsonReport> & { resumed: number };
  const { read, delivered, skipped, rejected } = report.messages;
  return { code: result.code, read, settled: delivered + skipped + rejected, resumed: report.resumed };
}

/** A slow import on a fresh checkpoint, started and sending (its server has accepted a record, or it ended). */
async function startedSlowRun(name: string): Promise<{ checkpoint: string; run: ReturnType<typeof startCli> }> {
  const checkpoint = tmp.unique(name);
  const mp = await server({ latencyMs: 40 });
  const run = startCli(importArgs(input, mp, checkpoint, [...SLOW, '--quiet']));
  run.child.stdin.end();
  await expect.poll(() => mp.accepted.length > 0 || run.child.exitCode !== null, { timeout: 20_000, interval: 5 }).toBe(true);
  return { checkpoint, run };
}

describe('one run per checkpoint: a lock file next to the journal', () => {
  it('a second run on the checkpoint while the first runs: exit 2 naming the first run\'s pid, nothing sent; the first finishes normally', async () => {
    const { checkpoint, run: first } = await startedSlowRun('locked.checkpoint');

    const other = await server();
    const second = await runCli(importArgs(input, other, checkpoint, ['--quiet']));
    const stillRunning = first.child.exitCode === null;
    const firstResult = await first.done;

    expect({ stillRunning, code: second.code, requests: other.requests.length }, second.stderr).toEqual({ stillRunning: true, code: 2, requests: 0 });
    expect(second.stderr).toContain(`checkpoint ${checkpoint} is in use by another run (pid ${first.child.pid}`);
    expect(completed(firstResult)).toEqual({ code: 0, read: MESSAGES, settled: MESSAGES, resumed: 0 });
    expect(existsSync(`${checkpoint}.lock`)).toBe(false);
  }, 60_000);

  it('a second Ctrl-C (exit 130 at once, by process.exit) still removes the lock', async () => {
    const { checkpoint, run } = await startedSlowRun('double-sigint.checkpoint');
    const lockedWhileRunning = existsSync(`${checkpoint}.lock`);
    run.child.kill('SIGINT');
    await sleep(5);
    run.child.kill('SIGINT');
    const result = await run.done;

    expect({ lockedWhileRunning, code: result.code, lockLeft: existsSync(`${checkpoint}.lock`) }, result.stderr).toEqual({ lockedWhileRunning: true, code: 130, lockLeft: false });
  }, 60_000);

  it('a stale lock (its pid no longer runs) is taken over with a notice, the run delivers everything and removes the lock', async () => {
    const checkpoint = tmp.unique('stale.checkpoint');
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${checkpoint}.lock`, JSON.stringify({ pid: gone, startedAt: '2026-12-06T03:15:00.000Z' }));
    const mp = await server();

    const result = await runCli(importArgs(input, mp, checkpoint));

    expect(result.stderr).toContain(`notice: took over the lock ${checkpoint}.lock of pid ${gone} (started 2026-12-06T03:15:00.000Z), which is no longer running`);
    expect(completed(result)).toEqual({ code: 0, read: MESSAGES, settled: MESSAGES, resumed: 0 });
    expect(existsSync(`${checkpoint}.lock`)).toBe(false);
  }, 60_000);
});

describe('journal entries keyed by the resolved path: a checkpoint belongs to its inputs', () => {
  it('the same file spelled three ways (relative, ./relative, absolute: the CLI runs in the repository) resumes: nothing sent again', async () => {
    const checkpoint = tmp.unique('spelled.checkpoint');
    const typed = relative(ROOT, input);
    const runs: Array<{ spelling: string; code: number | null; resumed: number; requests: number }> = [];
    for (const spelling of [typed, `./${typed}`, input]) {
      const mp = await server();
      const result = await runCli(importArgs(spelling, mp, checkpoint, ['--quiet']));
      runs.push({ spelling, code: result.code, resumed: completed(result).resumed, requests: mp.requests.length });
    }

    expect(runs.map(({ spelling, code, resumed }) => ({ spelling, code, resumed }))).toEqual([
      { spelling: typed, code: 0, resumed: 0 },
      { spelling: `./${typed}`, code: 0, resumed: MESSAGES },
      { spelling: input, code: 0, resumed: MESSAGES },
    ]);
    expect(runs.map((run) => run.requests > 0)).toEqual([true, false, false]);
  }, 60_000);

  it('a checkpoint of another input: exit 2 naming the input it holds, nothing sent; --force proceeds and delivers the new input', async () => {
    const checkpoint = tmp.unique('other-input.checkpoint');
    const other = writeLines(tmp.unique('other.ndjson'), generateMessages({ count: 300, seed: 1522 }));
    const first = await runCli(importArgs(input, await server(), checkpoint, ['--quiet']));
    const refusedServer = await server();
    const refused = await runCli(importArgs(other, refusedServer, checkpoint, ['--quiet']));
    const forced = await runCli(importArgs(other, await server(), checkpoint, ['--quiet', '--force']));

    expect(first.code, first.stderr).toBe(0);
    expect({ code: refused.code, requests: refusedServer.requests.length }).toEqual({ code: 2, requests: 0 });
    expect(refused.stderr).toContain(`checkpoint ${checkpoint} holds inputs this run does not name: ${input} (this run: ${other})`);
    expect(completed(forced)).toEqual({ code: 0, read: 300, settled: 300, resumed: 0 });
  }, 60_000);
});

describe('a journal that cannot be written stops the run', () => {
  /** Until the journal has a settled line, then make its next write fail: its `.tmp` becomes a directory (root writes anywhere). */
  async function breakJournalOnceWritten(checkpoint: string, running: () => boolean): Promise<number> {
    const written = (): boolean => existsSync(checkpoint) && (Object.values(JSON.parse(readFileSync(checkpoint, 'utf8')).files)[0] as { through: number }).through > 0;
    await expect.poll(() => !running() || written(), { timeout: 20_000, interval: 5 }).toBe(true);
    // While a write is under way its .tmp exists: try again until the directory takes its place.
    for (;;) {
      try {
        mkdirSync(`${checkpoint}.tmp`);
        return Date.now();
      } catch {
        await sleep(1);
      }
    }
  }

  it('exit 3 naming the journal and EISDIR; no batch starts after the failure beyond those already given a connection', async () => {
    const checkpoint = tmp.unique('broken.checkpoint');
    const mp = await server({ latencyMs: 40 });
    const run = startCli(importArgs(input, mp, checkpoint, [...SLOW, '--quiet']));
    run.child.stdin.end();
    const brokenAt = await breakJournalOnceWritten(checkpoint, () => run.child.exitCode === null);
    const result = await run.done;

    const report = jsonReport(result.stdout);
    const sentAfter = mp.requests.filter((request) => request.arrivedAtMs > brokenAt).length;
    console.info(`journal broken after ${mp.requests.filter((request) => request.arrivedAtMs <= brokenAt).length} requests; ${sentAfter} arrived after it; ${mp.requests.length} in all`);
    expect({ code: result.code, status: report.status }, result.stderr).toEqual({ code: 3, status: 'fatal' });
    expect(report.error).toContain(`checkpoint ${checkpoint} could not be written (EISDIR): the lines settled since its last write are not in it, and a re-run sends them again; stopped sending`);
    // The failure is seen at the next write: at once when an acknowledged batch's $add/$append
    // wait for it, else at most 200 ms after the last write (run/checkpoint.ts). Until then a
    // reply frees a connection for a queued batch: 2 connections at 40 ms, ≤ 10 in 200 ms, and 2
    // queued. Without the stop: 30.
    expect(sentAfter).toBeLessThanOrEqual(14);
    expect(report.messages.delivered).toBeLessThan(MESSAGES / 2);
  }, 60_000);
});
