// Benchmark inputs under .bench-data/ (gitignored).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = new URL('..', import.meta.url).pathname;
export const DATA_DIR = `${ROOT}.bench-data`;

/** The synthetic Segment archive for (size, seed); generated once, then reused. */
export async function segmentFile(size, seed) {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = `${DATA_DIR}/segment-${size}-seed${seed}.ndjson`;
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  process.stderr.write(`generating ${file} ...\n`);
  const synth = spawn(process.execPath, ['dist/test/support/synth/cli.js', '--count', String(size), '--seed', String(seed), '--out', partial], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const [code] = await once(synth, 'close');
  if (code !== 0) throw new Error(`synth exited with ${code}`);
  renameSync(partial, file); // only a complete file is ever reused
  return file;
}

/**
 * From mpx-replay's dry-run output, the `record` of every /import line, with the real token in
 * place of "<token>": the input mixpanel-import gets. Returns { file, count }.
 */
export async function importRecords(mappedFile, outFile, token) {
  const out = createWriteStream(outFile);
  let count = 0;
  for await (const line of createInterface({ input: createReadStream(mappedFile), crlfDelay: Infinity })) {
    if (line === '') continue;
    const { endpoint, record } = JSON.parse(line);
    if (endpoint !== '/import') continue;
    if (record.properties.token === '<token>') record.properties.token = token;
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
    count += 1;
  }
  out.end();
  await once(out, 'finish');
  return { file: outFile, count };
}

/** Every file below an archive folder, sorted. */
export function archiveFiles(dir) {
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir).sort();
}

/** Put an archive folder's files into an S3 test server's bucket, keyed by their path below it; returns the paths. */
export async function uploadArchive(server, bucket, dir) {
  const paths = archiveFiles(dir);
  await server.createBucket(bucket);
  for (const path of paths) await server.put(bucket, relative(dir, path), readFileSync(path), 'gzip');
  return paths;
}
