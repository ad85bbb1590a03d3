/**
 * End to end: the real built CLI (`node bin/mpx-replay.js`) in a child process (SPEC §1, §8).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli, type CliResult } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const BIN = join(ROOT, 'bin', 'mpx-replay.js');

let tmp: TempDir;
let dir: string;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-bin-');
  dir = tmp.path;
});

afterAll(() => tmp.cleanup());

const cli = (args: string[], stdin?: Buffer): Promise<CliResult> => runCli(args, stdin === undefined ? {} : { stdin });

const LINES = [
  JSON.stringify({ type: 'track', event: 'Signed Up', messageId: 'bin-1', userId: 'user-bin-1', timestamp: '2024-05-01T09:00:00Z', properties: { plan: 'team' } }),
  '',
  JSON.stringify({ type: 'page', messageId: 'bin-3', anonymousId: 'anon-bin-3', timestamp: '2024-05-01T09:00:05Z', name: 'Pricing' }),
];
const CONTENT = `${LINES.join('\n')}\n`;

function records(stdout: string): Array<Record<string, unknown> & { record: { event: string; properties: Record<string, unknown> } }> {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('§1 the built CLI, spawned', () => {
  it('§8 import <file> --dry-run writes the records to stdout and exits 0', async () => {
    const input = join(dir, 'day.ndjson');
    writeFileSync(input, CONTENT);
    const result = await cli(['import', input, '--dry-run']);
    expect(result.code).toBe(0);
    expect(records(result.stdout).map((r) => [r.endpoint, r.file, r.line, r.messageId, r.record.event, r.record.properties.distinct_id, r.record.properties.token])).toEqual([
      ['/import', input, 1, 'bin-1', 'Signed Up', 'user-bin-1', '<token>'],
      ['/import', input, 3, 'bin-3', 'Loaded a Page', 'anon-bin-3', '<token>'],
    ]);
    expect(result.stderr).toContain('dry run');
  });

  it('§1 gzip on stdin via "-" is read and mapped the same way', async () => {
    const result = await cli(['import', '-', '--dry-run'], gzipSync(CONTENT));
    expect(result.code).toBe(0);
    expect(records(result.stdout).map((r) => [r.file, r.line, r.messageId, r.record.event])).toEqual([
      ['-', 1, 'bin-1', 'Signed Up'],
      ['-', 3, 'bin-3', 'Loaded a Page'],
    ]);
  });

  it('§1 a rejected line makes the process exit 1; a usage error exits 2', async () => {
    const input = join(dir, 'with-bad.ndjson');
    writeFileSync(input, `${LINES[0]}\n{oops\n`);
    const rejected = await cli(['import', input, '--dry-run']);
    expect(rejected.code).toBe(1);
    expect(records(rejected.stdout).map((r) => r.line)).toEqual([1]);

    const usage = await cli(['import', join(dir, 'absent.ndjson'), '--dry-run']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('absent.ndjson');
  });
});

describe('§8 the mapping workers', () => {
  it.each([0, 1, 2])('--threads %i: the sample archive gives the golden records and rejects byte for byte', async (threads) => {
    const out = join(dir, `records-${threads}.ndjson`);
    const rejects = join(dir, `rejects-${threads}.ndjson`);
    const result = await cli(['import', 'fixtures/segment-logs', '--settings', 'fixtures/settings.json', '--dry-run', '--quiet', '--out', out, '--rejects', rejects, '--threads', String(threads)]);
    expect(result.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'fixtures', 'sample.expected.ndjson'), 'utf8'));
    expect(readFileSync(rejects, 'utf8')).toBe(readFileSync(join(ROOT, 'fixtures', 'sample.expected-rejects.ndjson'), 'utf8'));
  });
});

describe('§1 output discipline when the reader of stdout goes away', () => {
  it('a dry run piped into a reader that closes early (`| head`) stops as interrupted (130), with no EPIPE crash', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'import', 'fixtures/segment-logs', '--settings', 'fixtures/settings.json', '--dry-run', '--threads', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const err: Buffer[] = [];
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8') }));
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted');
    expect(result.stderr).not.toContain('EPIPE');
  });

  it.each(['--help', 'import --help', '--version'])('`mpx-replay %s | true` (a reader gone before the output): exit 0, no EPIPE stack trace', async (command) => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      // The reader is closed before the CLI writes anything, so every write meets EPIPE.
      const child = spawn(process.execPath, [BIN, ...command.split(' ')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      const err: Buffer[] = [];
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8') }));
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('§1 --out in a folder that does not exist is a usage error (exit 2) before anything runs', async () => {
    const result = await cli(['import', 'fixtures/segment-logs', '--dry-run', '--out', join(dir, 'missing-folder', 'out.ndjson')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--out');
    expect(result.stderr).toContain('cannot write it (ENOENT)');
  });
});
