// npm run bench:s3 [-- --size 200000] [--files 8] [--runs 3] [--seed 1]
// Throughput of s3:// inputs against the same objects on local disk: a synthetic gzip archive is
// written once under .bench-data/, put into s3rver (a child process on 127.0.0.1), and read by
// `mpx-replay import --dry-run` from the folder and from the bucket, alternately, each run a child
// process under /usr/bin/time -v. Prints wall time, messages/s and peak RSS per run, and the ratio
// of the medians (S3 / local wall time).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { s3Env, startS3Server } from '../dist/test/support/s3/server.js';
import { DATA_DIR, ROOT, uploadArchive } from './data.js';
import { runTimed } from './steps.js';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '200000' }, files: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' } },
});
const size = Number(values.size);
const files = Number(values.files);
const runs = Number(values.runs);
const BUCKET = 'bench-archive';
const MPX = `${ROOT}bin/mpx-replay.js`;

/** The archive folder for (size, files, seed), generated once. */
async function archive() {
  const dir = `${DATA_DIR}/s3-${size}-${files}-seed${values.seed}`;
  if (existsSync(dir)) return dir;
  mkdirSync(DATA_DIR, { recursive: true });
  process.stderr.write(`generating ${dir} ...\n`);
  const partial = `${dir}.partial`;
  const synth = spawn(process.execPath, ['dist/test/support/synth/cli.js', '--count', String(size), '--seed', values.seed, '--archive', join(partial, 'segment-logs', 'src_bench'), '--files', String(files), '--gzip'], { cwd: ROOT, stdio: 'inherit' });
  const [code] = await once(synth, 'close');
  if (code !== 0) throw new Error(`synth exited with ${code}`);
  renameSync(partial, dir);
  return dir;
}

/** user + system CPU seconds of a process so far, from /proc (clock ticks of 1/100 s). */
function serverCpu(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function dryRun(input, env) {
  const result = await runTimed([MPX, 'import', input, '--settings', 'fixtures/settings.json', '--dry-run', '--out', '/dev/null', '--quiet', '--json'], { env });
  if (result.code > 1) throw new Error(`dry run of ${input} exited with ${result.code}:\n${result.stderr.slice(-2000)}`);
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1));
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds, rssMB: result.rssMB, read: report.messages.read, s3: report.s3 };
}

const dir = await archive();
const server = await startS3Server();
try {
  const paths = await uploadArchive(server, BUCKET, dir);
  const bytes = paths.reduce((sum, p) => sum + statSync(p).size, 0);
  const local = [];
  const remote = [];
  process.stderr.write(`${size} messages in ${paths.length} gzip objects, ${(bytes / 1e6).toFixed(1)} MB stored\n`);
  const localRun = () => dryRun(join(dir, 'segment-logs'));
  const s3Run = async () => {
    const before = serverCpu(server.pid);
    const result = await dryRun(`s3://${BUCKET}/segment-logs/`, s3Env(server.endpoint));
    return { ...result, serverCpuSeconds: serverCpu(server.pid) - before };
  };
  const describe = (r) => `${r.seconds.toFixed(2)} s (${Math.round(r.read / r.seconds)}/s, cpu ${r.cpuSeconds.toFixed(2)} s${r.serverCpuSeconds === undefined ? '' : ` + s3rver ${r.serverCpuSeconds.toFixed(2)} s`}, ${Math.round(r.rssMB)} MB)`;
  for (let run = 1; run <= runs; run++) {
    // Alternate which goes first, so a slow phase of the machine does not always hit the same one.
    let l;
    let s;
    if (run % 2 === 1) {
      l = await localRun();
      s = await s3Run();
    } else {
      s = await s3Run();
      l = await localRun();
    }
    local.push(l);
    remote.push(s);
    process.stderr.write(`  run ${run}: local ${describe(l)}, s3 ${describe(s)}, ${s.s3.objectsRead} objects, ${(s.s3.bytesRead / 1e6).toFixed(1)} MB read, ${s.s3.resumes} resumes\n`);
  }
  const ratio = (key) => median(remote.map((r) => r[key])) / median(local.map((r) => r[key]));
  const pairs = remote.map((r, i) => r.seconds / local[i].seconds);
  const result = {
    size, objects: paths.length, storedBytes: bytes, runs, loadAverage: loadavg()[0],
    localSeconds: local.map((r) => r.seconds), s3Seconds: remote.map((r) => r.seconds),
    localCpuSeconds: local.map((r) => r.cpuSeconds), s3CpuSeconds: remote.map((r) => r.cpuSeconds),
    s3rverCpuSeconds: remote.map((r) => Number(r.serverCpuSeconds.toFixed(2))),
    localRssMB: local.map((r) => Math.round(r.rssMB)), s3RssMB: remote.map((r) => Math.round(r.rssMB)),
    wallRatio: Number(ratio('seconds').toFixed(3)), medianPairRatio: Number(median(pairs).toFixed(3)), cpuRatio: Number(ratio('cpuSeconds').toFixed(3)),
  };
  console.log(JSON.stringify(result));
  process.stderr.write(`s3 / local, medians: wall ${result.wallRatio}, per pair ${result.medianPairRatio}, cpu of mpx-replay ${result.cpuRatio} (1-min load ${result.loadAverage.toFixed(1)})\n`);
} finally {
  await server.close();
}
