/**
 * `s3://bucket/prefix` inputs (README "Nightly backfill from S3"; issue 18) against a real
 * S3-compatible server (s3rver, a child process on loopback) through a loopback proxy that can
 * stall, cut or deny a response. The CLI runs in-process (`runMain`) with the S3 client injected:
 * listing pages of 2 keys, a 300 ms stall limit and 10 ms backoff, so each case takes about a second.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, tempDir, type DryRecord } from '../support/cli.js';
import { runMain } from '../support/run-main.js';
import { DAYS, sampleArchive, seedBucket, writeLocalArchive } from '../support/s3/archive.js';
import { startFaultyProxy, type FaultyProxy } from '../support/s3/proxy.js';
import { s3Client, startS3Server, type S3TestServer } from '../support/s3/server.js';

const BUCKET = 'segment-archive';
const PREFIX = `s3://${BUCKET}/segment-logs/`;
const OBJECTS = sampleArchive();
const ARCHIVE_BYTES = OBJECTS.filter((o) => /\.gz$/.test(o.key)).reduce((sum, o) => sum + o.body.length, 0);
const PART1 = `segment-logs/src_sample/${DAYS[0]}/a1b2c3.part1.gz`;
const DAY2_OBJECT = `segment-logs/src_sample/${DAYS[1]}/d4e5f6.ndjson.gz`;

let server: S3TestServer;
let proxy: FaultyProxy;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('mpx-s3-');
  server = await startS3Server();
  await seedBucket(server, BUCKET, OBJECTS);
  const cut = gzipSync(readFileSync(join('fixtures', 'segment-logs', 'src_sample', '2026-11-27', '1795737600000.a1b2c3.ndjson')));
  await seedBucket(server, 'broken-archive', [{ key: `segment-logs/s/${DAYS[0]}/cut.gz`, body: cut.subarray(0, Math.floor(cut.length * 0.7)) }]);
  writeLocalArchive(join(tmp.path, 'local'), OBJECTS);
  writeLocalArchive(join(tmp.path, 'broken'), [{ key: `segment-logs/s/${DAYS[0]}/cut.gz`, body: cut.subarray(0, Math.floor(cut.length * 0.7)) }]);
  proxy = await startFaultyProxy(server.endpoint);
}, 60_000);

afterEach(() => {
  proxy.fault = () => null;
  proxy.requests.length = 0;
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  tmp?.cleanup();
});

interface DryRun {
  code: number;
  stderr: string;
  records: DryRecord[];
  report: any;
}

async function dryRun(input: string, extra: string[] = [], retries = 5): Promise<DryRun> {
  const out = tmp.unique('records.ndjson');
  const run = await runMain(['import', input, '--settings', 'fixtures/settings.json', '--dry-run', '--out', out, '--json', '--threads', '0', '--no-progress', ...extra], {
    s3: { client: s3Client(proxy.endpoint), maxKeys: 2, resume: { stallMs: 300, backoffMs: 10, retries } },
  });
  const report = run.stdout.trim() === '' ? null : JSON.parse(run.stdout.trim().split('\n').pop()!);
  return { code: run.code, stderr: run.stderr, records: existsSync(out) ? parseNdjson<DryRecord>(readFileSync(out, 'utf8')) : [], report };
}

/** The records with their local file names turned into the S3 URLs of the same objects. */
function asS3(records: DryRecord[], localRoot: string, bucket: string): DryRecord[] {
  return records.map((r) => ({ ...r, file: `s3://${bucket}/${r.file.slice(localRoot.length + 1)}` }));
}

const listings = (): Array<{ path: string }> => proxy.requests.filter((r) => r.path.includes('list-type=2'));
const gets = (key: string): Array<{ range: string | null }> => proxy.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`/${BUCKET}/${key}`) && !r.path.includes('list-type'));

describe('s3:// inputs: listing and streaming', () => {
  it('the dry run of an s3:// prefix equals, record for record, the dry run of the same objects on local disk', async () => {
    const s3 = await dryRun(PREFIX);
    const local = await dryRun(join(tmp.path, 'local', 'segment-logs'));
    expect(s3.code).toBe(1);
    expect(s3.records.length).toBeGreaterThan(4000);
    expect(s3.records).toEqual(asS3(local.records, join(tmp.path, 'local'), BUCKET));
    expect(s3.report.messages).toEqual(local.report.messages);
    expect(s3.report.records).toEqual(local.report.records);
  });

  it('lists every page, in key order, and names each object by its s3://bucket/key URL', async () => {
    const s3 = await dryRun(PREFIX);
    expect(listings().some((r) => r.path.includes('continuation-token='))).toBe(true);
    expect(s3.report.inputs.map((i: { file: string }) => i.file)).toEqual(
      OBJECTS.filter((o) => /\.gz$/.test(o.key)).map((o) => `s3://${BUCKET}/${o.key}`),
    );
  });

  it('dummy-object.txt and other non-archive keys are ignored, as a folder walk ignores them', async () => {
    const s3 = await dryRun(PREFIX);
    expect(s3.report.s3.prefixes).toEqual([{ input: PREFIX, days: null, objects: 4, ignored: 2 }]);
    expect(s3.records.filter((r) => /dummy|manifest/.test(r.file))).toEqual([]);
  });

  it('reports the objects and bytes read from S3', async () => {
    const s3 = await dryRun(PREFIX);
    expect(s3.report.s3).toMatchObject({ objectsRead: 4, bytesRead: ARCHIVE_BYTES, resumes: 0 });
    expect(s3.stderr).not.toContain('NodeVersionSupportWarning');
  });

  it('an object that is not gzip (plain NDJSON under a .gz name) is read by its bytes', async () => {
    const s3 = await dryRun(PREFIX);
    const plain = s3.report.inputs.find((i: { file: string }) => i.file.endsWith('0c9d8e.gz'));
    expect(plain).toMatchObject({ gzip: false, truncated: null, lines: 1202 });
  });

  it('a truncated gzip object keeps its complete lines and rejects the tail, like a truncated file', async () => {
    const s3 = await dryRun('s3://broken-archive/segment-logs/');
    const local = await dryRun(join(tmp.path, 'broken', 'segment-logs'));
    expect(s3.code).toBe(1);
    expect(s3.report.inputs[0].truncated).toMatch(/^gzip stream ended early/);
    expect(s3.report.messages).toEqual(local.report.messages);
    expect(s3.records).toEqual(asS3(local.records, join(tmp.path, 'broken'), 'broken-archive'));
  });
});

describe('s3:// inputs: received-day narrowing', () => {
  const from = '2026-11-28T00:00:00Z';
  const to = '2026-11-28T12:00:00Z';

  it('--from/--to read the days from the day of --from to the day of --to plus --late-days (2), and the filter still cuts exactly', async () => {
    const s3 = await dryRun(PREFIX, ['--from', from, '--to', to]);
    const local = await dryRun(join(tmp.path, 'local', 'segment-logs'), ['--from', from, '--to', to]);
    expect(s3.report.s3.prefixes[0]).toMatchObject({ days: ['2026-11-28', '2026-11-29'], objects: 2 });
    expect(gets(PART1)).toEqual([]);
    expect(listings().some((r) => r.path.includes(String(DAYS[0])))).toBe(false);
    expect(s3.records.length).toBeGreaterThan(0);
    expect(s3.records).toEqual(asS3(local.records, join(tmp.path, 'local'), BUCKET));
  });

  it('--late-days 0 reads only the days of --from and --to', async () => {
    const s3 = await dryRun(PREFIX, ['--from', from, '--to', to, '--late-days', '0']);
    expect(s3.report.s3.prefixes[0]).toMatchObject({ days: ['2026-11-28'], objects: 1 });
    expect(new Set(s3.records.map((r) => r.file))).toEqual(new Set([`s3://${BUCKET}/${DAY2_OBJECT}`]));
    // Day 1 is jumped over (start-after), day 3 is not read.
    expect(listings().some((r) => r.path.includes('start-after='))).toBe(true);
    expect(gets(`segment-logs/src_sample/${DAYS[2]}/0c9d8e.gz`)).toEqual([]);
  });

  it('a window with no received-day folder is an error naming the prefix, exit 2', async () => {
    const s3 = await dryRun(PREFIX, ['--from', '2025-01-01T00:00:00Z', '--to', '2025-01-02T00:00:00Z']);
    expect(s3.code).toBe(2);
    expect(s3.stderr).toContain(`${PREFIX}: no received-day folder from 2025-01-01 to 2025-01-04`);
  });
});

describe('s3:// inputs: a broken read resumes with a ranged GetObject', () => {
  it.each([
    ['stalls', 'stall', 1000],
    ['is cut', 'cut', 5000],
  ] as const)('a read that %s mid-body resumes from the last byte received, and the records are the same', async (_name, kind, afterBytes) => {
    const clean = await dryRun(PREFIX);
    proxy.requests.length = 0;
    let faulted = false;
    proxy.fault = (method, path) => {
      if (faulted || method !== 'GET' || !path.startsWith(`/${BUCKET}/${PART1}`)) return null;
      // The probe before the run reads the first object too: fault the second read, the real one.
      if (gets(PART1).length < 2) return null;
      faulted = true;
      return { kind, afterBytes };
    };
    const s3 = await dryRun(PREFIX);
    expect(gets(PART1).map((r) => r.range)).toEqual([null, null, `bytes=${afterBytes}-`]);
    expect(s3.report.s3.resumes).toBe(1);
    expect(s3.stderr).toContain(`notice: s3://${BUCKET}/${PART1}: read broke at byte ${afterBytes}`);
    expect(s3.records).toEqual(clean.records);
  });
});

describe('s3:// inputs: a read that cannot be resumed', () => {
  it('a read that stalls again and again without a new byte is given up after the retries: that input ends like an unreadable file', async () => {
    proxy.fault = (method, path) => (method === 'GET' && path.startsWith(`/${BUCKET}/${DAY2_OBJECT}`) ? { kind: 'stall', afterBytes: 0 } : null);
    const s3 = await dryRun(PREFIX, [], 2);
    expect(s3.code).toBe(1);
    expect(gets(DAY2_OBJECT)).toHaveLength(3);
    const stalled = s3.report.inputs.find((i: { file: string }) => i.file.endsWith('d4e5f6.ndjson.gz'));
    expect(stalled.truncated).toBe(`s3://${BUCKET}/${DAY2_OBJECT}: read failed 3 times in a row at byte 0 of ${OBJECTS.find((o) => o.key === DAY2_OBJECT)!.body.length} (no data for 300 ms (stalled)); kept the 0 complete lines before it`);
    expect(new Set(s3.records.map((r) => r.file)).size).toBe(3);
  });

  it('a resumed read answered without its range (the whole object again) is not resumed: no line is read twice', async () => {
    let reads = 0;
    proxy.fault = (method, path, range) => {
      if (method !== 'GET' || !path.startsWith(`/${BUCKET}/${DAY2_OBJECT}`)) return null;
      reads += 1;
      if (reads === 1) return { kind: 'stall', afterBytes: 3000 };
      return range === null ? null : { kind: 'ignore-range' };
    };
    const s3 = await dryRun(PREFIX);
    const broken = s3.report.inputs.find((i: { file: string }) => i.file.endsWith('d4e5f6.ndjson.gz'));
    expect(broken.truncated).toMatch(new RegExp(`^s3://${BUCKET}/${DAY2_OBJECT}: a read resumed at byte 3000 was answered without that range \\(no Content-Range\\); cannot resume`));
    expect(s3.code).toBe(1);
  });
});

describe('s3:// inputs: errors name the URL', () => {
  it('a bucket that does not exist: exit 2 before anything is read', async () => {
    const s3 = await dryRun('s3://no-such-bucket/segment-logs/');
    expect(s3.code).toBe(2);
    expect(s3.stderr).toContain('s3://no-such-bucket/segment-logs/: the bucket does not exist (NoSuchBucket)');
  });

  it('a prefix with no objects: exit 2', async () => {
    const s3 = await dryRun(`s3://${BUCKET}/segment-logs/no-such-source/`);
    expect(s3.code).toBe(2);
    expect(s3.stderr).toContain(`s3://${BUCKET}/segment-logs/no-such-source/: no objects under this prefix`);
  });

  it.each([
    ['listing denied', (m: string, p: string) => p.includes('list-type=2'), undefined, `${PREFIX}: access denied (AccessDenied)`],
    ['first object denied', (m: string, p: string) => m === 'GET' && p.startsWith(`/${BUCKET}/${PART1}`), undefined, `s3://${BUCKET}/${PART1}: access denied (AccessDenied)`],
    ['KMS key not usable', (m: string, p: string) => m === 'GET' && p.startsWith(`/${BUCKET}/${PART1}`), 'User: arn:aws:iam::1:user/cron is not authorized to perform: kms:Decrypt', `s3://${BUCKET}/${PART1}: cannot decrypt the object with its KMS key`],
  ])('%s: exit 2 before anything is read, naming the URL', async (_name, match, message, expected) => {
    proxy.fault = (method, path) => (match(method, path) ? { kind: 'deny', ...(message && { message }) } : null);
    const s3 = await dryRun(PREFIX);
    expect(s3.code).toBe(2);
    expect(s3.stderr).toContain(expected);
    expect(s3.records).toEqual([]);
  });

  it('an object denied mid-run ends that input like an unreadable file (exit 1), the others are read', async () => {
    proxy.fault = (method, path) => (method === 'GET' && path.startsWith(`/${BUCKET}/${DAY2_OBJECT}`) ? { kind: 'deny' } : null);
    const s3 = await dryRun(PREFIX);
    expect(s3.code).toBe(1);
    const denied = s3.report.inputs.find((i: { file: string }) => i.file.endsWith('d4e5f6.ndjson.gz'));
    expect(denied).toMatchObject({ lines: 0, truncated: `s3://${BUCKET}/${DAY2_OBJECT}: access denied (AccessDenied); the credentials need s3:ListBucket on the bucket and s3:GetObject on its objects; kept the 0 complete lines before it` });
    expect(new Set(s3.records.map((r) => r.file)).size).toBe(3);
  });
});
