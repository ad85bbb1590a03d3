/**
 * A real S3-compatible server for tests: s3rver, spawned as a child process on 127.0.0.1 with a
 * random port (node --openssl-legacy-provider, without which a truncated listing answers 500), and
 * a client to seed it (Buffer bodies, checksums only when required, so no aws-chunked framing is
 * stored as the body). s3rver's own dummy credentials (S3RVER / S3RVER).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

// The SDK's notice that its 2027 releases need Node 22 is not news to these tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The environment a CLI child needs to reach `endpoint` with the dummy credentials. */
export function s3Env(endpoint: string): Record<string, string> {
  return { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' };
}

/** A client for `endpoint` (s3rver itself, or a proxy in front of it), path-style, dummy credentials. */
export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: S3_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

export interface S3TestServer {
  readonly endpoint: string;
  readonly port: number;
  /** The s3rver child's process id (the benchmark reads its CPU time). */
  readonly pid: number;
  readonly client: S3Client;
  createBucket(bucket: string): Promise<void>;
  put(bucket: string, key: string, body: Buffer, contentEncoding?: string): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<S3TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mpx-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--no-vhost-buckets'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await listeningPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = s3Client(endpoint);
  return {
    endpoint,
    port,
    pid: child.pid!,
    client,
    createBucket: async (bucket) => void (await client.send(new CreateBucketCommand({ Bucket: bucket }))),
    put: async (bucket, key, body, contentEncoding) =>
      void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain', ContentEncoding: contentEncoding }))),
    remove: async (bucket, key) => void (await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))),
    close: async () => {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The port from s3rver's "S3rver listening on 127.0.0.1:<port>"; its later request log is drained. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${seen}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /listening on [\d.]+:(\d+)/.exec(seen);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
        seen = '';
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => void (seen += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${seen}`)));
  });
}
