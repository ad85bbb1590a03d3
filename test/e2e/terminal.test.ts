/**
 * End to end: the built CLI on a pseudo-terminal (`script` started without a terminal), as in
 * some CI and container ptys (README "Usage").
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const BIN = join(ROOT, 'bin', 'mpx-replay.js');
/** A 3,610-line dry run writes a spinner and a report: a few KB, never megabytes. */
const MAX_TERMINAL_BYTES = 64 * 1024;

let tmp: TempDir;
beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-pty-');
});
afterAll(() => tmp.cleanup());

/** Run `command` under `script -qec` with no terminal of our own; SIGKILL after `timeoutMs`. */
function underScript(command: string, timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; bytes: number; text: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (key !== 'CI' && key !== 'NO_COLOR' && !key.startsWith('MIXPANEL_')) env[key] = value;
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...env, TERM: 'xterm', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes <= MAX_TERMINAL_BYTES * 4) chunks.push(chunk);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, bytes, text: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

describe('§1 progress on a pseudo-terminal', () => {
  it.each([
    ['stty cols 0 (a pty that reports no width)', 'stty cols 0 rows 0'],
    ['stty cols 5 (too narrow for a spinner line)', 'stty cols 5 rows 10'],
    ['stty cols 100 (an ordinary terminal)', 'stty cols 100 rows 30'],
  ])('a dry run on %s ends (exit 1: the sample has rejected lines) with bounded output', async (_name, stty) => {
    const out = tmp.unique('records.ndjson');
    const run = await underScript(`${stty}; ${JSON.stringify(process.execPath)} ${BIN} import fixtures/segment-logs --settings fixtures/settings.json --dry-run --out ${out}`, 15_000);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.bytes).toBeLessThan(MAX_TERMINAL_BYTES);
    expect(run.text).toContain('mpx-replay dry-run: done, with rejected lines (exit 1)');
  });

  it.each([
    ['without NO_COLOR the spinner is cyan', {}, true],
    ['NO_COLOR=1 leaves the spinner uncoloured', { NO_COLOR: '1' }, false],
  ])('§1 %s', async (_name, env, coloured) => {
    const out = tmp.unique('records.ndjson');
    const run = await underScript(`stty cols 100 rows 30; ${JSON.stringify(process.execPath)} ${BIN} import fixtures/segment-logs --settings fixtures/settings.json --dry-run --out ${out}`, 15_000, env);
    expect(run.code).toBe(1);
    expect(run.text.includes('\u001b[36m')).toBe(coloured);
  });
});
