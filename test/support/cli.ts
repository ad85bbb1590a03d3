/**
 * End-to-end helpers: run the built CLI (`node bin/mpx-replay.js`) as a child process, write
 * temporary inputs, and read what the CLI wrote (dry-run records, --json report, rejects).
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mpx-replay.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Build dist/ once when it is missing (the bin imports dist/src/cli/main.js). */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  }
}

/**
 * Start `node bin/mpx-replay.js <args>` with an environment free of Mixpanel credentials and CI
 * settings. Its stdin is left open for the caller; `done` resolves when it has exited.
 */
export function startCli(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): { child: ChildProcessWithoutNullStreams; done: Promise<CliResult> } {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'CI' || key.startsWith('MIXPANEL_') || key.startsWith('AWS_') || key === 'MPX_SETTINGS' || /^(https?|no)_proxy$/i.test(key)) continue;
    env[key] = value;
  }
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started });
    });
  });
  return { child, done };
}

/** Run the CLI to the end with `stdin` (default: empty); kill it (and resolve with the signal) after `timeoutMs`. */
export async function runCli(args: readonly string[], options: { timeoutMs?: number; stdin?: Buffer; env?: Readonly<Record<string, string>> } = {}): Promise<CliResult> {
  const { child, done } = startCli(args, options.env);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  child.stdin.end(options.stdin ?? Buffer.alloc(0));
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

export { tempDir } from './temp-dir.js';

/** Write lines as an NDJSON file (newline-terminated) and return its path. */
export function writeLines(path: string, lines: Iterable<string>): string {
  writeFileSync(path, `${Array.from(lines).join('\n')}\n`);
  return path;
}

export function readNdjson<T = any>(path: string): T[] {
  return parseNdjson<T>(readFileSync(path, 'utf8'));
}

export function parseNdjson<T = any>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The `--json` report: the last non-empty line of stdout. */
export function jsonReport(stdout: string): Report {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Report;
}

/** The fields of the --json report these tests read (src/pipeline/report.ts). */
export interface Report {
  status: string;
  exitCode: number;
  error: string | null;
  messages: { read: number; delivered: number; skipped: number; rejected: number; unsettled: number; byType: Record<string, number> };
  records: { built: Record<string, number>; delivered: Record<string, number>; rejected: Record<string, number> };
  rejected: Record<string, { count: number; stage?: string; examples: string[] }>;
  http: { requests: number; retries: number; status429: number };
}

/** One line of `--dry-run` output (SPEC §8). */
export interface DryRecord {
  endpoint: '/import' | '/engage' | '/groups';
  file: string;
  line: number;
  messageId: string | null;
  record: any;
}
