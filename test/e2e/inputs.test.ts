/**
 * End to end: inputs and checkpoints the CLI cannot use are usage errors (exit 2) naming the
 * path, never an internal error (README "Usage", "Exit codes").
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const BIN = join(ROOT, 'bin', 'mpx-replay.js');
const LINE = JSON.stringify({ type: 'track', event: 'Opened', messageId: 'inp-1', userId: 'u-inp-1', timestamp: '2024-05-01T09:00:00Z' });

/** Delivery settings for runs that stop before sending (a checkpoint a dry run cannot take). */
const NOT_SENT = ['--token', 'tok-inputs-0123456789', '--api-secret', 'secret-inputs-0123456789', '--api-host', 'http://127.0.0.1:9'];

let tmp: TempDir;
beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-inputs-');
  // Readable and writable (a checkpoint's lock file) by the unprivileged user the CLI runs as below.
  chmodSync(tmp.path, 0o777);
});
afterAll(() => {
  chmodSync(tmp.path, 0o755);
  tmp.cleanup();
});

/**
 * Run the CLI; as root (who may read anything), as the unprivileged user "nobody", so file
 * permissions apply.
 */
function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH }, ...asNobody });
  const err: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => err.push(c));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function unreadableFile(): string {
  const path = tmp.unique('locked.ndjson');
  writeFileSync(path, `${LINE}\n`);
  chmodSync(path, 0o000);
  return path;
}

function unreadableFolder(): string {
  const path = tmp.unique('locked-day');
  mkdirSync(path);
  writeFileSync(join(path, 'part-1.ndjson'), `${LINE}\n`);
  chmodSync(path, 0o000);
  return path;
}

function linkLoop(): string {
  const a = tmp.unique('loop-a.ndjson');
  const b = tmp.unique('loop-b.ndjson');
  symlinkSync(b, a);
  symlinkSync(a, b);
  return a;
}

function checkpointWith(journal: unknown): string {
  const path = tmp.unique('odd.checkpoint.json');
  writeFileSync(path, JSON.stringify(journal));
  chmodSync(path, 0o666);
  return path;
}

function readableInput(): string {
  const path = tmp.unique('day.ndjson');
  writeFileSync(path, `${LINE}\n`);
  return path;
}

describe('§1 unusable inputs are exit 2 with the path named', () => {
  it.each([
    ['an unreadable file', unreadableFile, 'permission denied (EACCES)'],
    ['an unreadable folder', unreadableFolder, 'permission denied (EACCES)'],
    ['a symbolic link loop given directly', linkLoop, 'symbolic link loop'],
  ])('%s', async (_name, make, why) => {
    const path = make();
    const result = await run(['import', path, '--dry-run', '--out', tmp.unique('out.ndjson')]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toContain('no such file');
    expect(result.stderr).toContain(`input ${path}`);
    expect(result.stderr).toContain(why);
    expect(result.code).toBe(2);
  });

  /** A journal entry for `input` that matches its size and head (so it is used), with `fields` over it. */
  const entry = (fields: unknown) => (input: string) => {
    const identity = { size: readFileSync(input).length, head: createHash('sha256').update(readFileSync(input)).digest('hex').slice(0, 32) };
    return { version: 1, scope: 'x', scopeDescription: 'x', files: { [input]: fields === null ? null : { ...identity, ...(fields as object) } } };
  };
  it.each([
    ['"files" is null', () => ({ version: 1, scope: 'x', scopeDescription: 'x', files: null })],
    ['the journal is a list', () => [1, 2, 3]],
    ['a file entry is null', entry(null)],
    ['"through" is text', entry({ through: 'ten', extra: [] })],
    ['"extra" is not a list', entry({ through: 0, extra: 3 })],
    ['"extra" is an object', entry({ through: 0, extra: {} })],
  ])('§7 a checkpoint whose structure is odd (%s): exit 2 naming it', async (_name, journal) => {
    const input = readableInput();
    const checkpoint = checkpointWith(journal(input));
    // Refused before anything is sent, so the (closed) discard port is never reached.
    const result = await run(['import', input, ...NOT_SENT, '--checkpoint', checkpoint, '--force']);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).toContain(`checkpoint ${checkpoint}`);
    expect(result.code).toBe(2);
  });
});
