/**
 * Delivery from `s3://` (README "Nightly backfill from S3"; issue 18): the built CLI in a child
 * process, its S3 client from the environment (AWS_ENDPOINT_URL_S3 and dummy keys, the standard
 * chain), against s3rver and the Mixpanel-compatible test server. Killed with SIGKILL part-way and
 * re-run with the same --checkpoint; then one object is rewritten (new ETag) and read again.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT, startMixpanelServer, type MixpanelTestServer } from '../support/mixpanel-server/index.js';
import { ensureBuilt, jsonReport, readNdjson, runCli, startCli, tempDir, type DryRecord } from '../support/cli.js';
import { DAYS, sampleArchive, seedBucket } from '../support/s3/archive.js';
import { startFaultyProxy } from '../support/s3/proxy.js';
import { S3_CREDENTIALS, s3Env, startS3Server, type S3TestServer } from '../support/s3/server.js';

const BUCKET = 'segment-archive';
const PREFIX = `s3://${BUCKET}/segment-logs/`;
const OBJECTS = sampleArchive();
const ARCHIVE_BYTES = OBJECTS.filter((o) => /\.gz$/.test(o.key)).reduce((sum, o) => sum + o.body.length, 0);
const REWRITTEN = `segment-logs/src_sample/${DAYS[1]}/d4e5f6.ndjson.gz`;
/** Kill the first run once the server has accepted this many records (of about 4,800). */
const STOP_AFTER_ACCEPTED = 1_200;

let s3: S3TestServer;
let mp: MixpanelTestServer;
let tmp: ReturnType<typeof tempDir>;
let env: Record<string, string>;

beforeAll(async () => {
  ensureBuilt();
  tmp = tempDir('mpx-s3-resume-');
  s3 = await startS3Server();
  await seedBucket(s3, BUCKET, OBJECTS);
  // The runs' temporary folders (the S3 spool) go here, to be counted.
  mkdirSync(tmp.file('tmp'));
  env = { ...s3Env(s3.endpoint), TMPDIR: tmp.file('tmp') };
  // ~20 ms per request of 50 records: a run of about 100 requests lasts a few seconds.
  mp = await startMixpanelServer({ port: 0, latencyMs: 20 });
}, 60_000);

afterAll(async () => {
  await mp?.close();
  await s3?.close();
  tmp?.cleanup();
});

function importArgs(checkpoint: string): string[] {
  return [
    'import', PREFIX, '--settings', 'fixtures/settings.json', '--api-host', mp.url, '--token', DEFAULT_PROJECT.token, '--api-secret', DEFAULT_PROJECT.apiSecret,
    '--batch-size', '50', '--concurrency', '2', '--backoff', '20', '--alias-delay', '20', '--checkpoint', checkpoint, '--json', '--no-progress',
  ];
}

async function acceptedAtLeast(count: number, child: { exitCode: number | null; signalCode: NodeJS.Signals | null }): Promise<boolean> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(5)) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (mp.accepted.length >= count) return true;
  }
  return false;
}

describe('s3:// delivery with a checkpoint', () => {
  it('resumes after SIGKILL without losing a line, downloads each object once per run, and reads a rewritten object (new ETag) again', async () => {
    const out = tmp.file('dry.ndjson');
    const dry = await runCli(['import', PREFIX, '--settings', 'fixtures/settings.json', '--dry-run', '--out', out, '--quiet'], { env });
    // The sample's broken lines make the dry run exit 1; its events are what the server must end with.
    expect(dry.code, dry.stderr).toBe(1);
    const expectedIds = new Set(readNdjson<DryRecord>(out).filter((r) => r.endpoint === '/import').map((r) => r.record.properties.$insert_id as string));
    expect(expectedIds.size).toBeGreaterThan(STOP_AFTER_ACCEPTED);

    const checkpoint = tmp.file('checkpoint.json');
    const first = startCli(importArgs(checkpoint), env);
    first.child.stdin.end();
    expect(await acceptedAtLeast(STOP_AFTER_ACCEPTED, first.child)).toBe(true);
    first.child.kill('SIGKILL');
    await first.done;
    expect(existsSync(checkpoint)).toBe(true);

    const second = await runCli(importArgs(checkpoint), { env });
    const report = jsonReport(second.stdout) as ReturnType<typeof jsonReport> & { resumed: number; s3: { objectsRead: number; bytesRead: number } };
    // Exit 1 only if the sample's rejected lines were not settled before the kill.
    expect([0, 1]).toContain(second.code);
    expect(report.resumed).toBeGreaterThan(0);
    // Two passes (aliases first), one download: the alias pass keeps what it reads for the main pass.
    expect(report.s3).toMatchObject({ objectsRead: 4, bytesRead: ARCHIVE_BYTES });
    // The killed run's spool is left behind; the finished run removed its own.
    expect(readdirSync(tmp.file('tmp')).filter((name) => name.startsWith('mpx-replay-s3-'))).toHaveLength(1);
    const gotIds = new Set(mp.accepted.filter((a) => a.endpoint === '/import').map((a) => a.record.properties.$insert_id as string));
    expect([...expectedIds].filter((id) => !gotIds.has(id))).toEqual([]);

    // Segment replays a day: the object is rewritten (one line fewer, so a new ETag and size).
    const rewritten = OBJECTS.find((o) => o.key === REWRITTEN)!;
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const lines = gunzipSync(rewritten.body).toString('utf8').split('\n');
    await s3.put(BUCKET, REWRITTEN, gzipSync(lines.slice(1).join('\n')));
    const third = await runCli(importArgs(checkpoint), { env });
    const again = jsonReport(third.stdout) as ReturnType<typeof jsonReport> & { resumed: number; inputs: Array<{ file: string; lines: number }> };
    expect(third.stderr).toContain(`notice: s3://${BUCKET}/${REWRITTEN} was rewritten since checkpoint`);
    const rewrittenLines = again.inputs.find((i) => i.file.endsWith(REWRITTEN))!.lines;
    expect(again.messages.read).toBe(lines.slice(1).filter((l) => l !== '').length);
    expect(again.resumed).toBe(again.inputs.reduce((sum, i) => sum + i.lines, 0) - rewrittenLines);
  });
});

describe('s3:// credentials from the standard chain', () => {
  it('--aws-profile picks a profile of the shared credentials file; with no region anywhere, us-east-1 is used', async () => {
    const credentials = tmp.file('credentials');
    const config = tmp.file('config');
    writeFileSync(credentials, `[segment-reader]\naws_access_key_id = ${S3_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${S3_CREDENTIALS.secretAccessKey}\n`);
    writeFileSync(config, '[profile segment-reader]\n');
    const profileEnv = { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config, AWS_EC2_METADATA_DISABLED: 'true' };
    const args = ['import', PREFIX, '--settings', 'fixtures/settings.json', '--dry-run', '--out', tmp.unique('dry.ndjson'), '--quiet', '--json'];
    const picked = await runCli([...args, '--aws-profile', 'segment-reader'], { env: profileEnv });
    expect(picked.code).toBe(1);
    expect(JSON.parse(picked.stdout).s3.objectsRead).toBe(4);
    const missing = await runCli([...args, '--aws-profile', 'no-such-profile'], { env: profileEnv });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`mpx-replay: ${PREFIX}: no AWS credentials found`);
  });

  it('a bucket in another region is followed: a 301 naming the region is answered by the same request signed for that region', async () => {
    const proxy = await startFaultyProxy(s3.endpoint);
    proxy.fault = (_method, _path, _range, signedRegion) => (signedRegion === 'eu-west-1' ? null : { kind: 'redirect', region: 'eu-west-1' });
    const out = tmp.unique('dry.ndjson');
    const run = await runCli(['import', PREFIX, '--settings', 'fixtures/settings.json', '--dry-run', '--out', out, '--quiet', '--json'], { env: s3Env(proxy.endpoint) });
    await proxy.close();
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).s3.objectsRead).toBe(4);
    expect(proxy.requests.length).toBeGreaterThan(8);
  });
});
