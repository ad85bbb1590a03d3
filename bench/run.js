// npm run bench [-- --sizes 100000[,1000000]] [--seed 1] [--rate 15000]
// For each size: parse ceiling, mpx-replay --dry-run, mpx-replay import, mixpanel-import, then both
// importers against a rate-limited server. Every step is a child process under /usr/bin/time -v;
// the test server runs in its own process on 127.0.0.1. Results: printed, and .bench-data/results.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_PROJECT } from '../dist/test/support/mixpanel-server/defaults.js';
import { DATA_DIR, ROOT, importRecords, segmentFile } from './data.js';
import { runTimed, startServer } from './steps.js';
import { addRatios, formatTable } from './table.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '100000,1000000' }, seed: { type: 'string', default: '1' }, rate: { type: 'string', default: '15000' } },
});
const sizes = values.sizes.split(',').map(Number);
const seed = Number(values.seed);
const { token, apiSecret } = DEFAULT_PROJECT;
const RATE = Number(values.rate); // events/s of the rate-limited server (step 5)
const RESULTS = `${DATA_DIR}/results${RATE === 15_000 ? '' : `-rate${RATE}`}.json`;
const MPX = `${ROOT}bin/mpx-replay.js`;
// Installed into bench/node_modules by `npm run bench` (bench/package.json), not with the tool.
const MIXPANEL_IMPORT = `${ROOT}bench/node_modules/mixpanel-import/index.js`;
const REDIRECT = `${ROOT}bench/redirect-mixpanel.cjs`;

function check(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}:\n${result.stderr.slice(-3000)}`);
  return result;
}

function row(kind, step, events, result, extra = {}) {
  process.stderr.write(`  ${step}: ${events} events in ${result.seconds} s, ${Math.round(result.rssMB)} MB\n`);
  return { kind, step, events, seconds: result.seconds, eventsPerSecond: events / result.seconds, rssMB: result.rssMB, rateLimited: false, ...extra };
}

/** mpx-replay import against a fresh server; returns the row. */
async function mpxImport(file, server, expectedImport, label, rateLimited) {
  const args = [MPX, 'import', file, '--settings', 'fixtures/settings.json', '--token', token, '--api-secret', apiSecret, '--api-host', server.url, '--quiet', '--json'];
  let result;
  let stats;
  try {
    result = await runTimed(args);
  } finally {
    stats = await server.stop();
  }
  if (result.code !== 0 && !rateLimited) check(result, label);
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1));
  return row('mpx-replay', label, stats.acceptedTotal, result, {
    rateLimited,
    exitCode: result.code,
    report: { status: report.status, error: report.error, delivered: report.records.delivered, rejected: report.records.rejected, http: report.http },
    server: stats,
    lost: expectedImport - stats.distinctImportInsertIds,
    ...(rateLimited ? allowance(stats, result) : {}),
  });
}

/**
 * Rate-limited steps: the share of the allowance the run used over its wall time, and over the
 * time it was sending (the server's first to last accepted record), and the 429s it met.
 */
function allowance(stats, result) {
  const sendingSeconds = (stats.lastMs - stats.firstMs) / 1000;
  return {
    allowanceUsed: stats.acceptedTotal / (RATE * result.seconds),
    allowanceWhileSending: sendingSeconds > 0 ? stats.acceptedTotal / (RATE * sendingSeconds) : null,
    status429: stats.byStatus['429'] ?? 0,
  };
}

/** mixpanel-import (CLI, fastest settings) redirected to a fresh server; returns the row. */
async function mixpanelImport(file, server, expectedImport, label, rateLimited) {
  const cwd = mkdtempSync(`${DATA_DIR}/tmp/mixpanel-import-`); // its ./logs go here
  const args = ['--require', REDIRECT, MIXPANEL_IMPORT, file, '--type', 'event', '--token', token, '--secret', apiSecret,
    '--highWater', '16384', '--compress', '--workers', '10'];
  let result;
  let stats;
  try {
    result = await runTimed(args, { cwd, env: { MPX_BENCH_TARGET: server.url }, stdoutFile: `${cwd}/stdout.txt` });
  } finally {
    stats = await server.stop();
  }
  check(result, label);
  const logPath = result.stdout.trim().split('\n').at(-1);
  const log = JSON.parse(readFileSync(logPath, 'utf8'));
  rmSync(cwd, { recursive: true });
  const errorLines = result.stderr.split('\n').filter((l) => /error/i.test(l));
  if (stats.distinctImportInsertIds === 0) throw new Error(`${label}: the test server received no events (redirect failed?)`);
  return row('mixpanel-import', label, stats.acceptedTotal, result, {
    rateLimited,
    exitCode: result.code,
    report: { total: log.total, success: log.success, failed: log.failed, requests: log.requests, retries: log.retries, rateLimited: log.rateLimited, errors: log.errors, stderrErrorLines: errorLines.length, stderrSample: errorLines.slice(0, 3) },
    server: stats,
    lost: expectedImport - stats.distinctImportInsertIds,
    ...(rateLimited ? allowance(stats, result) : {}),
  });
}

async function benchSize(size) {
  const file = await segmentFile(size, seed);
  const mapped = `${TMP}/mapped-${size}-seed${seed}.ndjson`;
  const load = { before: loadavg() };
  process.stderr.write(`size ${size} (${file}), load ${load.before.map((n) => n.toFixed(2)).join(' ')}\n`);
  const rows = [];

  const parse = check(await runTimed([`${ROOT}bench/parse-ceiling.js`, file]), 'parse ceiling');
  const { lines } = JSON.parse(parse.stdout);
  rows.push(row('parse', '1 parse ceiling (read + JSON.parse)', lines, parse));

  const dry = check(await runTimed([MPX, 'import', file, '--dry-run', '--settings', 'fixtures/settings.json', '--quiet', '--out', mapped]), 'dry run');
  rows.push(row('dry-run', '2 mpx-replay --dry-run (map only)', lines, dry));
  // The Actions preset maps the same archive (issue: within 10 % of the classic dry run's messages/s).
  const dryActions = check(await runTimed([MPX, 'import', file, '--dry-run', '--preset', 'actions', '--settings', 'fixtures/settings-actions.json', '--quiet', '--out', '/dev/null']), 'Actions dry run');
  rows.push(row('dry-run', '2b mpx-replay --dry-run --preset actions', lines, dryActions, { vsClassicDryRun: dry.seconds / dryActions.seconds }));

  const forMixpanelImport = await importRecords(mapped, `${TMP}/import-records-${size}-seed${seed}.ndjson`, token);
  const expectedImport = forMixpanelImport.count;

  rows.push(await mpxImport(file, await startServer({ latency: 10 }), expectedImport, '3 mpx-replay import (10 ms)', false));
  rows.push(await mixpanelImport(forMixpanelImport.file, await startServer({ latency: 10 }), expectedImport, '4 mixpanel-import /import only (10 ms)', false));
  const limited = { latency: 50, rate: RATE };
  rows.push(await mpxImport(file, await startServer(limited), expectedImport, `5a mpx-replay import (${RATE}/s, 50 ms)`, true));
  rows.push(await mixpanelImport(forMixpanelImport.file, await startServer(limited), expectedImport, `5b mixpanel-import (${RATE}/s, 50 ms)`, true));

  load.after = loadavg();
  rmSync(mapped, { force: true });
  rmSync(forMixpanelImport.file, { force: true });
  return { size, seed, file, linesRead: lines, expectedImportEvents: expectedImport, load, rows: addRatios(rows) };
}

mkdirSync(`${DATA_DIR}/tmp`, { recursive: true });
// This invocation's own scratch files, so benchmarks run side by side do not share them.
const TMP = mkdtempSync(`${DATA_DIR}/tmp/run-`);
// Runs of other sizes from an earlier invocation are kept, so `--sizes 1000000` adds to `--sizes 100000`.
const earlier = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')).runs ?? [] : [];
const results = { startedAt: new Date().toISOString(), node: process.version, rateLimit: RATE, runs: earlier.filter((r) => !sizes.includes(r.size)) };
for (const size of sizes) {
  const run = await benchSize(size);
  results.runs.push(run);
  process.stdout.write(
    `\n${size.toLocaleString('en-US')} messages (seed ${seed}), ${run.expectedImportEvents.toLocaleString('en-US')} /import events; ` +
      `load average ${run.load.before.map((n) => n.toFixed(2)).join(' ')} → ${run.load.after.map((n) => n.toFixed(2)).join(' ')}\n` +
      `${formatTable(run.rows)}\n`,
  );
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}
rmSync(TMP, { recursive: true, force: true });
process.stdout.write(`\nevents: records accepted (mpx-replay: /import + /engage + /groups; mixpanel-import: /import), ` +
  `input lines for parse and dry run. × mixpanel-import compares with its run in the same server setting.\n` +
  `wrote ${RESULTS}\n`);
