// Process helpers: run a step under /usr/bin/time -v, and run the test server in its own process.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const TIME = '/usr/bin/time';
const ROOT = new URL('..', import.meta.url).pathname;

/** "h:mm:ss.ss" or "m:ss.ss" → seconds. */
function clockSeconds(text) {
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * Runs `node ...args` as a child under /usr/bin/time -v. stdout goes to `stdoutFile` when given
 * (read back as `stdout`), stderr is kept. Returns wall seconds and peak RSS (MB) as the OS saw them.
 */
export async function runTimed(args, { env = {}, cwd = ROOT, stdoutFile } = {}) {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install -y time`);
  const out = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'w');
  const child = spawn(TIME, ['-v', process.execPath, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (typeof out === 'number') {
    closeSync(out);
    stdout = readFileSync(stdoutFile, 'utf8');
  }
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): (\S+)/.exec(stderr);
  const system = /System time \(seconds\): (\S+)/.exec(stderr);
  if (!wall || !rss) throw new Error(`no /usr/bin/time figures for node ${args.join(' ')}:\n${stderr.slice(-2000)}`);
  const timeReport = stderr.lastIndexOf('\tCommand being timed');
  return {
    code,
    seconds: clockSeconds(wall[1]),
    rssMB: Number(rss[1]) / 1024,
    cpuSeconds: Number(user?.[1] ?? NaN) + Number(system?.[1] ?? NaN),
    stdout,
    stderr: timeReport === -1 ? stderr : stderr.slice(0, timeReport),
  };
}

/** Starts bench/server.js; resolves with { url, stop() → stats } once it listens. */
export async function startServer({ latency = 10, rate } = {}) {
  const args = ['bench/server.js', '--latency', String(latency)];
  if (rate !== undefined) args.push('--rate', String(rate));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const url = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(first.value ?? '')?.[1];
  if (!url) {
    child.kill('SIGTERM');
    throw new Error(`test server did not start: ${first.value}`);
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const next = await iterator.next();
      await new Promise((resolve) => (child.exitCode === null ? child.on('exit', resolve) : resolve()));
      return JSON.parse(next.value);
    },
  };
}
