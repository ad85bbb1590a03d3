/**
 * The sample archive (fixtures/segment-logs) laid out as Segment's S3 destination writes it,
 * segment-logs/<source-id>/<received-day-ms>/<file>, once in a test S3 bucket and once in a local
 * folder, byte for byte the same objects, so a dry run of one can be compared with the other.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../cli.js';
import type { S3TestServer } from './server.js';

export const DAYS = [1795737600000, 1795824000000, 1795910400000] as const;

export interface ArchiveObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentEncoding?: string;
}

const SAMPLE = join(ROOT, 'fixtures', 'segment-logs', 'src_sample');

/**
 * Day 1 in two gzip parts (stored with Content-Encoding: gzip, as Segment does), day 2 as shipped
 * (.gz), day 3 plain NDJSON under a .gz name (read by its bytes, not its name), and two objects
 * that are not input files.
 */
export function sampleArchive(): ArchiveObject[] {
  const day1 = readFileSync(join(SAMPLE, '2026-11-27', '1795737600000.a1b2c3.ndjson'), 'utf8').split('\n');
  const half = Math.floor(day1.length / 2);
  const prefix = 'segment-logs/src_sample';
  return [
    { key: 'segment-logs/dummy-object.txt', body: Buffer.from('dummy') },
    { key: `${prefix}/${DAYS[0]}/a1b2c3.part1.gz`, body: gzipSync(`${day1.slice(0, half).join('\n')}\n`), contentEncoding: 'gzip' },
    { key: `${prefix}/${DAYS[0]}/a1b2c3.part2.gz`, body: gzipSync(day1.slice(half).join('\n')), contentEncoding: 'gzip' },
    { key: `${prefix}/${DAYS[1]}/d4e5f6.ndjson.gz`, body: readFileSync(join(SAMPLE, '2026-11-28', '1795824000000.d4e5f6.ndjson.gz')) },
    { key: `${prefix}/${DAYS[2]}/0c9d8e.gz`, body: readFileSync(join(SAMPLE, '2026-11-29', '1795910400000.0c9d8e.ndjson')) },
    { key: `${prefix}/${DAYS[2]}/manifest.csv`, body: Buffer.from('key,size\n') },
  ];
}

export async function seedBucket(server: S3TestServer, bucket: string, objects: readonly ArchiveObject[]): Promise<void> {
  await server.createBucket(bucket);
  for (const o of objects) await server.put(bucket, o.key, o.body, o.contentEncoding);
}

/** The same objects as files under `dir` (keys as paths). */
export function writeLocalArchive(dir: string, objects: readonly ArchiveObject[]): void {
  for (const o of objects) {
    const path = join(dir, o.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.body);
  }
}
