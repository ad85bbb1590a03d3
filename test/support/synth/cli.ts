/**
 * Synthetic Segment archive writer.
 *   node dist/test/support/synth/cli.js --count 100000 --seed 7 --out /tmp/x.ndjson [--gzip]
 *   node dist/test/support/synth/cli.js --count 3600 --archive /tmp/segment-logs/src_x --files 3
 * Other flags: --start <ISO|epoch ms> --span-days <n> --alias-share <0..1> --bad-every <n>
 *   --users <n> --gzip-level <0..9, default 1>. Without --out/--archive the lines go to stdout.
 */
import { parseArgs } from 'node:util';
import { generateMessages, type SynthOptions } from './generate.js';
import { writeArchive, writeNdjson } from './write.js';

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, archive: { type: 'string' },
      files: { type: 'string' }, gzip: { type: 'boolean' }, 'gzip-level': { type: 'string' }, start: { type: 'string' },
      'span-days': { type: 'string' }, 'alias-share': { type: 'string' }, 'bad-every': { type: 'string' }, users: { type: 'string' },
    },
  });
  const count = num(values.count, 'count');
  if (count === undefined) throw new Error('--count is required');
  const start = values.start === undefined ? undefined : /^\d+$/.test(values.start) ? Number(values.start) : Date.parse(values.start);
  if (start !== undefined && Number.isNaN(start)) throw new Error(`--start is not a date: "${values.start}"`);
  const spanDays = num(values['span-days'], 'span-days');
  const options: SynthOptions = { count };
  const seed = num(values.seed, 'seed');
  if (seed !== undefined) options.seed = seed;
  if (start !== undefined) options.startMs = start;
  if (spanDays !== undefined) options.spanMs = spanDays * 86_400_000;
  const aliasShare = num(values['alias-share'], 'alias-share');
  if (aliasShare !== undefined) options.aliasShare = aliasShare;
  const bad = num(values['bad-every'], 'bad-every');
  if (bad !== undefined) options.badLineEvery = bad;
  const users = num(values.users, 'users');
  if (users !== undefined) options.users = users;
  const gzipLevel = num(values['gzip-level'], 'gzip-level') ?? 1;
  const t0 = performance.now();
  if (values.archive !== undefined) {
    const results = await writeArchive(values.archive, { ...options, gzip: values.gzip ?? false, gzipLevel, files: num(values.files, 'files') ?? 1 });
    for (const r of results) process.stderr.write(`${r.path}: ${r.lines} lines, ${r.bytes} bytes\n`);
  } else if (values.out !== undefined) {
    const r = await writeNdjson(values.out, { ...options, gzip: values.gzip ?? false, gzipLevel });
    const secs = (performance.now() - t0) / 1000;
    process.stderr.write(`${r.path}: ${r.lines} lines, ${r.bytes} bytes (uncompressed) in ${secs.toFixed(2)} s, ${Math.round(r.lines / secs)} lines/s\n`);
  } else {
    for (const line of generateMessages(options)) {
      if (!process.stdout.write(line + '\n')) await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`synth: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
