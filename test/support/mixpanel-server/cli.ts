// Runs the test server from the command line:
//   node dist/test/support/mixpanel-server/cli.js --port 3777 --latency 10 --rate 15000 \
//        --rate429 0.1 --simplified --no-auth
// Prints the URL and the default credentials; on SIGINT/SIGTERM prints the stats and exits.
import { parseArgs } from 'node:util';
import { DEFAULT_PROJECT } from './defaults.js';
import { startMixpanelServer } from './server.js';
import type { FaultOptions, ServerOptions } from './types.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3777' },
    latency: { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
    rate429: { type: 'string' },
    rate503: { type: 'string' },
    rate500: { type: 'string' },
    drop: { type: 'string' },
    'drop-after-ingest': { type: 'boolean', default: false },
    slow: { type: 'string' },
    'slow-ms': { type: 'string' },
    seed: { type: 'string' },
    'retry-after': { type: 'string' },
    'max-body': { type: 'string' },
    'max-records': { type: 'string' },
    simplified: { type: 'boolean', default: false },
    'no-auth': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: cli.js [--port N] [--latency ms] [--rate events/s] [--burst s] [--rate429 p] [--rate503 p]\n' +
      '  [--rate500 p] [--drop p] [--drop-after-ingest] [--slow p] [--slow-ms ms] [--seed n]\n' +
      '  [--retry-after s] [--max-body bytes] [--max-records n] [--simplified] [--no-auth]\n',
  );
  process.exit(0);
}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) {
    process.stderr.write(`--${name}: not a number: ${value}\n`);
    process.exit(2);
  }
  return n;
}

const faults: FaultOptions = {
  seed: num('seed', values.seed),
  rate429: num('rate429', values.rate429),
  rate503: num('rate503', values.rate503),
  rate500: num('rate500', values.rate500),
  rateDrop: num('drop', values.drop),
  dropAfterIngest: values['drop-after-ingest'],
  rateSlow: num('slow', values.slow),
  slowMs: num('slow-ms', values['slow-ms']),
  retryAfterSeconds: num('retry-after', values['retry-after']),
};
const rate = num('rate', values.rate);
const options: ServerOptions & { port?: number } = {
  port: num('port', values.port),
  projects: [{ ...DEFAULT_PROJECT, identity: values.simplified ? 'simplified' : 'original' }],
  requireAuth: !values['no-auth'],
  latencyMs: num('latency', values.latency),
  maxBodyBytes: num('max-body', values['max-body']),
  maxRecords: num('max-records', values['max-records']),
  rateLimit: rate === undefined ? undefined : { eventsPerSecond: rate, burstSeconds: num('burst', values.burst) },
  faults,
};

const server = await startMixpanelServer(options);
const project = options.projects![0]!;
process.stdout.write(
  `Mixpanel test server listening on ${server.url}\n` +
    `  project_id:      ${project.id}\n` +
    `  token:           ${project.token}\n` +
    `  api secret:      ${project.apiSecret}\n` +
    `  service account: ${project.serviceAccount?.user}:${project.serviceAccount?.secret}\n` +
    `  identity:        ${project.identity}   auth required: ${options.requireAuth}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${JSON.stringify(server.stats(), null, 2)}\n`);
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
