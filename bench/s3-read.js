// node bench/s3-read.js [--runs 3]: the input layer alone (list + GetObject + gunzip + line cutter,
// no mapping) over the bench:s3 archive, from s3rver and from the folder, in this process: wall
// time and this process's CPU time per source. Run `npm run bench:s3` once first (it writes the archive).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { s3Client, startS3Server } from '../dist/test/support/s3/server.js';
import { expandInputs } from '../dist/src/input/expand.js';
import { readBlocks } from '../dist/src/input/read.js';
import { S3Access } from '../dist/src/input/s3/access.js';
import { S3Inputs } from '../dist/src/input/s3/source.js';
import { DATA_DIR, uploadArchive } from './data.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, archive: { type: 'string', default: `${DATA_DIR}/s3-200000-8-seed1` } } });
const dir = values.archive;

async function readAll(inputs, s3) {
  const files = await expandInputs(inputs, s3);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let bytes = 0;
  for await (const item of readBlocks(files, { open: s3?.open.bind(s3) })) if (item.kind === 'block') bytes += item.bytes.length;
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, bytes };
}

const server = await startS3Server();
try {
  await uploadArchive(server, 'bench-archive', dir);
  for (let run = 1; run <= Number(values.runs); run++) {
    const local = await readAll([join(dir, 'segment-logs')], null);
    const s3 = new S3Inputs({ access: await S3Access.open({ profile: null, endpoint: null }, s3Client(server.endpoint)), window: null });
    const remote = await readAll(['s3://bench-archive/segment-logs/'], s3);
    await s3.close();
    const show = (r) => `${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s cpu, ${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s decoded`;
    process.stderr.write(`run ${run}: local ${show(local)}; s3 ${show(remote)}\n`);
  }
} finally {
  await server.close();
}
