/**
 * Inputs that can only be read once (issue 15): stdin given as a path, a named FIFO, a process
 * substitution. In original identity mode the input is read twice (alias pass, then main pass),
 * so any input that is not a regular file is spooled first, like `-` (README "Inputs";
 * docs/architecture.md, "Stdin"). The built CLI against the test server, over loopback.
 */
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { generateMessages } from '../support/synth/index.js';
import { ensureBuilt, jsonReport, ROOT, runCli, tempDir, writeLines, type CliResult } from '../support/cli.js';

const MESSAGES = 3_000;
const CREDENTIALS = ['--token', DEFAULT_PROJECT.token, '--api-secret', DEFAULT_PROJECT.apiSecret, '--backoff', '20', '--quiet', '--json'];

let tmp: ReturnType<typeof tempDir>;
let input: string;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-pipes-');
  input = writeLines(join(tmp.path, 'day.ndjson'), generateMessages({ count: MESSAGES, seed: 1515, aliasShare: 0.05 }));
  writeFileSync(join(tmp.path, 'settings.json'), JSON.stringify({ people: true }));
}, 120_000);

afterAll(() => tmp.cleanup());

/** One server per test, on 127.0.0.1 and a free port; closed after the test. */
const server = useTestServers();

/** Run `script` in bash with the CLI as "$CLI" and the input file as "$IN"; its process group is killed after 30 s. */
function runBash(script: string, env: Record<string, string>): Promise<CliResult> {
  const started = Date.now();
  const child = spawn('bash', ['-c', script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', CLI: `${process.execPath} ${join(ROOT, 'bin', 'mpx-replay.js')}`, IN: input, ...env }, detached: true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started });
    });
  });
}

describe('an input that is not a regular file is read once and spooled (original identity mode)', () => {
  const cases: Array<[string, (url: string) => Promise<CliResult>]> = [
    ['/dev/stdin (a pipe given as a path)', (url) => runBash('cat "$IN" | $CLI import /dev/stdin --api-host "$URL" $ARGS', { URL: url, ARGS: CREDENTIALS.join(' ') })],
    ['a process substitution <(cat day.ndjson)', (url) => runBash('$CLI import <(cat "$IN") --api-host "$URL" $ARGS', { URL: url, ARGS: CREDENTIALS.join(' ') })],
    [
      'a named FIFO written once',
      (url) => {
        const fifo = join(tmp.path, `fifo-${Date.now()}`);
        execFileSync('mkfifo', [fifo]);
        return runBash('(cat "$IN" > "$FIFO") & $CLI import "$FIFO" --api-host "$URL" $ARGS; code=$?; wait; exit $code', { URL: url, FIFO: fifo, ARGS: CREDENTIALS.join(' ') });
      },
    ],
  ];
  it.each(cases)('%s: every one of the 3,000 lines is read and delivered as from the file, exit 0', async (_name, run) => {
    const baseline = await server();
    const expected = await runCli(['import', input, '--api-host', baseline.url, ...CREDENTIALS]);
    expect(expected.code, expected.stderr).toBe(0);
    const mp = await server();
    const result = await run(mp.url);
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    const report = jsonReport(result.stdout);
    expect(report.messages.read).toBe(MESSAGES);
    expect(report.messages).toEqual(jsonReport(expected.stdout).messages);
    expect(mp.accepted.length).toBe(baseline.accepted.length);
  }, 60_000);

  it('--checkpoint with a pipe given as a path is refused (its lines cannot be matched on a re-run): exit 2, nothing sent', async () => {
    const mp = await server();
    const result = await runBash('$CLI import <(cat "$IN") --checkpoint "$CP" --api-host "$URL" $ARGS', { URL: mp.url, CP: join(tmp.path, 'pipe.checkpoint'), ARGS: CREDENTIALS.join(' ') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a regular file/);
    expect(mp.requests.length).toBe(0);
  });
});
