// The project's Mixpanel-compatible test server, run as its own process for the benchmark.
//   node bench/server.js [--latency ms] [--rate events/s]
// Like dist/test/support/mixpanel-server/cli.js (which it wraps), but it also counts distinct
// /import $insert_ids, which the loss figure needs. It drains the accepted list every 200 ms so
// a 1M-event run does not keep every record in memory.
// Prints `listening <url>` on stdout; on SIGTERM prints one JSON line of stats and exits.
import { parseArgs } from 'node:util';
import { startMixpanelServer } from '../dist/test/support/mixpanel-server/server.js';
import { DEFAULT_PROJECT } from '../dist/test/support/mixpanel-server/defaults.js';

const { values } = parseArgs({ options: { latency: { type: 'string' }, rate: { type: 'string' } } });
const rate = values.rate === undefined ? undefined : Number(values.rate);

const server = await startMixpanelServer({
  port: 0, // always 127.0.0.1 (see server.ts)
  projects: [{ ...DEFAULT_PROJECT }],
  requireAuth: false,
  latencyMs: Number(values.latency ?? 0),
  rateLimit: rate === undefined ? undefined : { eventsPerSecond: rate },
});

const accepted = { '/import': 0, '/engage': 0, '/groups': 0 };
const insertIds = new Set();
let firstMs = Infinity;
let lastMs = 0;

function drain() {
  for (const entry of server.accepted) {
    accepted[entry.endpoint] += 1;
    if (entry.endpoint === '/import') insertIds.add(entry.record?.properties?.$insert_id);
    firstMs = Math.min(firstMs, entry.arrivedAtMs);
    lastMs = Math.max(lastMs, entry.arrivedAtMs);
  }
  server.accepted.length = 0;
}
const timer = setInterval(drain, 200);

process.stdout.write(`listening ${server.url}\n`);

process.on('SIGTERM', async () => {
  clearInterval(timer);
  drain();
  const { requests, byStatus } = server.stats();
  const total = accepted['/import'] + accepted['/engage'] + accepted['/groups'];
  const stats = { requests, byStatus, accepted, acceptedTotal: total, distinctImportInsertIds: insertIds.size, firstMs, lastMs };
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  await server.close();
  process.exit(0);
});
