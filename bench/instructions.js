// CPU instructions per message of the dry run's mapping work (split, decode, parse, map, format
// one block after another), counted by valgrind. Timings on this machine move by a fifth or more
// with its phase; instruction counts move by about 1 %, so they can rank changes of a few percent.
//   npm run build && node bench/instructions.js [messages=6000] [preset=classic]
// (`actions` maps with fixtures/settings-actions.json, `classic` with fixtures/settings.json.)
// Counts a process that maps the first N bench messages once and one that maps them four times,
// both in one V8 thread (--single-threaded: compilation and GC in the thread itself), and divides
// the difference by 3N: start-up, loading and compilation drop out, the steady state remains.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT, segmentFile } from './data.js';

const BLOCK_BYTES = 256 * 1024;

if (process.argv[2] === '--passes') {
  await mapPasses(Number(process.argv[3]), Number(process.argv[4]), process.argv[5], process.argv[6]);
} else {
  const messages = Number(process.argv[2] ?? 6000);
  const preset = process.argv[3] ?? 'classic';
  const file = await segmentFile(100_000, 1);
  const once = instructions(messages, 1, file, preset);
  const four = instructions(messages, 4, file, preset);
  const perMessage = (four - once) / (3 * messages);
  process.stdout.write(`${JSON.stringify({ preset, messages, instructionsPerMessage: Math.round(perMessage), once, four })}\n`);
}

/** Instructions valgrind counts for a child that maps `messages` messages `passes` times. */
function instructions(messages, passes, file, preset) {
  const args = ['--tool=cachegrind', '--cache-sim=no', '--smc-check=all-non-file', '--cachegrind-out-file=/dev/null'];
  const child = [process.execPath, '--single-threaded', fileURLToPath(import.meta.url), '--passes', String(messages), String(passes), file, preset];
  const run = spawnSync('valgrind', [...args, ...child], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || refs === null) throw new Error(`valgrind exited with ${run.status} (${run.error?.message ?? 'no instruction count'}):\n${(run.stderr ?? '').slice(-2000)}`);
  return Number(refs[1].replaceAll(',', ''));
}

/** The child: cut the first `messages` lines into blocks as the reader does, map them `passes` times. */
async function mapPasses(messages, passes, file, preset) {
  const { mapBlock } = await import(`${ROOT}dist/src/mapper/map-block.js`);
  const { NO_FILTER } = await import(`${ROOT}dist/src/config/filter.js`);
  const { parseSettings } = await import(`${ROOT}dist/src/config/settings.js`);
  const settingsFile = preset === 'actions' ? 'settings-actions.json' : 'settings.json';
  const parsed = parseSettings(JSON.parse(readFileSync(`${ROOT}fixtures/${settingsFile}`, 'utf8')));
  const setup = {
    mapping: { preset, settings: parsed.settings, identity: 'original', token: '<token>', runStartMs: Date.parse('2026-11-30T00:00:00Z') },
    filter: NO_FILTER,
    keepText: false,
    format: true,
  };
  const all = readFileSync(file);
  let end = 0;
  for (let n = 0; n < messages; n += 1) end = all.indexOf(10, end) + 1;
  const blocks = [];
  for (let start = 0, firstLine = 1; start < end; ) {
    const cut = Math.min(end, start + BLOCK_BYTES);
    const stop = cut === end ? end : all.lastIndexOf(10, cut - 1) + 1;
    const bytes = all.subarray(start, stop);
    blocks.push({ kind: 'block', file, firstLine, skip: [], bytes });
    firstLine += bytes.filter((byte) => byte === 10).length;
    start = stop;
  }
  let mapped = 0;
  for (let pass = 0; pass < passes; pass += 1) {
    for (const block of blocks) {
      const { lines, written } = mapBlock(block, setup, 'all');
      mapped += lines.length + written.lines.length;
    }
  }
  if (mapped !== messages * passes) throw new Error(`mapped ${mapped} lines, expected ${messages * passes}`);
}
