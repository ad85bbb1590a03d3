/**
 * Nothing lost, nothing applied twice that could have been known (issue 15, "What it must show";
 * SPEC §7): the built CLI against the test server, with --checkpoint, killed with SIGKILL at five
 * progress points (the server's hook kills it when it has stored the n-th /engage request of the
 * run, before replying) and re-run with the same checkpoint until done; and a run stopped by a 401
 * on its third /engage request while its first /import request waits to be retried, then re-run.
 *
 * Every line of the input is a profile's own (its own user id), so every update's JSON is unique
 * and the server's copies of it can be matched to the record's place: file, line, position in the
 * line. A record the server stored is "unacknowledged at the kill" when the journal left on disk
 * neither settles its line nor lists it as acknowledged: those, and only those, a re-run sends again.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT, type AcceptedRecord, type MixpanelTestServer, type RequestLogEntry, type ServerHooks } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { compareWithDryRun } from '../support/oracle.js';
import { ensureBuilt, jsonReport, readNdjson, runCli, startCli, tempDir, writeLines, type CliResult, type DryRecord, type Report } from '../support/cli.js';

const TOKEN = DEFAULT_PROJECT.token;
const LINES = 2_500;
const BATCH_SIZE = 100;
const CONCURRENCY = 4;
/** The /engage requests of each killed run after which the server kills the CLI. */
const KILL_AT = [3, 8, 5, 11, 6];

const SETTINGS = { people: true, setAllTraitsByDefault: true, eventIncrements: ['Order Completed'], propIncrements: ['items'] };

/**
 * Line i: an "Order Completed" of user-i (an event; `$add` of the event, `$set` of its time,
 * `$add` of items, `$append` of the revenue: 3 of its 4 updates not idempotent), every fifth an
 * identify (one `$set`).
 */
function* orders(count: number): Generator<string> {
  for (let i = 1; i <= count; i += 1) {
    const common = { userId: `user-${i}`, messageId: `m-${i}`, timestamp: new Date(Date.UTC(2026, 9, 2) + i * 1000).toISOString() };
    if (i % 5 === 0) yield JSON.stringify({ type: 'identify', ...common, traits: { name: `Name ${i}`, plan: 'pro' } });
    else yield JSON.stringify({ type: 'track', event: 'Order Completed', ...common, properties: { items: (i % 7) + 1, revenue: i + 0.25 } });
  }
}

let tmp: ReturnType<typeof tempDir>;
let input: string;
let settingsFile: string;
let dry: DryRecord[];
let dryResult: CliResult;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  ensureBuilt();
  tmp = tempDir('mpx-crash-');
  input = writeLines(tmp.file('orders.ndjson'), orders(LINES));
  settingsFile = tmp.file('settings.json');
  writeFileSync(settingsFile, JSON.stringify(SETTINGS));
  const out = tmp.file('dry.ndjson');
  dryResult = await runCli(['import', input, '--settings', settingsFile, '--identity', 'simplified', '--token', TOKEN, '--dry-run', '--out', out, '--quiet', '--json']);
  dry = readNdjson<DryRecord>(out);
}, 60_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  tmp.cleanup();
});

const server = useTestServers();

function importArgs(mp: MixpanelTestServer, checkpoint: string, secret = DEFAULT_PROJECT.apiSecret): string[] {
  return [
    'import', input, '--settings', settingsFile, '--identity', 'simplified', '--api-host', mp.url, '--token', TOKEN, '--api-secret', secret,
    '--batch-size', String(BATCH_SIZE), '--concurrency', String(CONCURRENCY), '--backoff', '20', '--checkpoint', checkpoint, '--json', '--quiet',
  ];
}

function run(args: readonly string[]): { child: ChildProcessWithoutNullStreams; done: Promise<CliResult> } {
  const started = startCli(args);
  children.push(started.child);
  started.child.stdin.end();
  return started;
}

const isNonIdempotent = (record: { $add?: unknown; $append?: unknown }): boolean => '$add' in record || '$append' in record;
const comparable = (record: unknown): string => JSON.stringify(record).replaceAll(JSON.stringify(TOKEN), JSON.stringify('<token>'));

/** Each dry-run update's place: line and position among its line's records, by its JSON. */
function placesOfUpdates(records: readonly DryRecord[]): Map<string, { line: number; position: number }> {
  const places = new Map<string, { line: number; position: number }>();
  let line = 0;
  let position = 0;
  for (const d of records) {
    position = d.line === line ? position + 1 : 0;
    line = d.line;
    if (d.endpoint !== '/import') places.set(`${d.endpoint} ${comparable(d.record)}`, { line, position });
  }
  return places;
}

/** The journal on disk: is a line settled, is a record of an unsettled line acknowledged. */
function journalOnDisk(checkpoint: string): { settled(line: number): boolean; acknowledged(line: number, position: number): boolean } {
  const journal = JSON.parse(readFileSync(checkpoint, 'utf8')) as { files: Record<string, { through: number; extra: number[]; acked?: Record<string, number[]> }> };
  const [entry] = Object.values(journal.files);
  const extra = new Set(entry!.extra);
  return {
    settled: (line) => line <= entry!.through || extra.has(line),
    acknowledged: (line, position) => entry!.acked?.[String(line)]?.includes(position) === true,
  };
}

/** What a kill left: the `$add`/`$append` records the server stored in that run that the journal does not have, and their requests. */
interface Kill {
  /** The /engage request at whose storing the CLI was killed; `engageRequests`: those the server stored in the run (requests sent before the kill arrive after it). */
  readonly killAt: number;
  readonly engageRequests: number;
  readonly unacknowledgedRecords: number;
  readonly unacknowledgedRequests: number;
  readonly signal: NodeJS.Signals | null;
}

function unacknowledgedAtKill(stored: readonly AcceptedRecord[], checkpoint: string): Pick<Kill, 'unacknowledgedRecords' | 'unacknowledgedRequests'> {
  const places = placesOfUpdates(dry);
  const journal = journalOnDisk(checkpoint);
  const requests = new Set<number>();
  let records = 0;
  for (const a of stored) {
    if (a.endpoint === '/import' || !isNonIdempotent(a.record)) continue;
    const place = places.get(`${a.endpoint} ${comparable(a.record)}`)!;
    if (journal.settled(place.line) || journal.acknowledged(place.line, place.position)) continue;
    records += 1;
    requests.add(a.requestId);
  }
  return { unacknowledgedRecords: records, unacknowledgedRequests: requests.size };
}

/** SIGKILL the CLI at each of KILL_AT, then run it to the end; the same checkpoint throughout. */
async function crashCampaign() {
  let onEngage: (request: RequestLogEntry) => void = () => undefined;
  const hooks: ServerHooks = { onStored: (request) => request.endpoint !== '/import' && onEngage(request) };
  const mp = await server({ latencyMs: 10, hooks });
  const checkpoint = tmp.file('campaign.checkpoint');
  const kills: Kill[] = [];
  for (const killAt of KILL_AT) {
    const from = mp.accepted.length;
    const cli = run(importArgs(mp, checkpoint));
    let engageRequests = 0;
    onEngage = () => {
      engageRequests += 1;
      if (engageRequests === killAt) cli.child.kill('SIGKILL');
    };
    const result = await cli.done;
    onEngage = () => undefined;
    kills.push({ killAt, engageRequests, signal: result.signal, ...unacknowledgedAtKill(mp.accepted.slice(from), checkpoint) });
  }
  const last = await runCli(importArgs(mp, checkpoint), { timeoutMs: 60_000 });
  return { kills, last, accepted: mp.accepted };
}

/**
 * The first run: a 503 on its first /import request (the events of the lines whose updates the
 * first /engage requests carry), a 401 on its third /engage request; the re-run has nothing refused.
 */
async function fatalStop() {
  const seen = { '/import': 0, '/engage': 0, '/groups': 0 };
  let refuse = true;
  const hooks: ServerHooks = {
    onRequest: ({ endpoint }) => {
      if (!refuse || !(endpoint in seen)) return undefined;
      const nth = (seen[endpoint as keyof typeof seen] += 1);
      return endpoint === '/import' && nth === 1 ? 503 : endpoint === '/engage' && nth === 3 ? 401 : undefined;
    },
  };
  const mp = await server({ latencyMs: 10, hooks });
  const checkpoint = tmp.file('fatal.checkpoint');
  const first = await runCli(importArgs(mp, checkpoint), { timeoutMs: 60_000 });
  const afterFirst = mp.accepted.length;
  refuse = false;
  const second = await runCli(importArgs(mp, checkpoint), { timeoutMs: 60_000 });
  return { first, second, accepted: mp.accepted, acceptedByFirst: afterFirst };
}

/** A fifth of the requests are stored and then get no reply (the socket closed): each is retried. */
async function ambiguousRetries() {
  const mp = await server({ latencyMs: 5, faults: { seed: 15, rateDrop: 0.2, dropAfterIngest: true } });
  const result = await runCli(importArgs(mp, tmp.file('drops.checkpoint')), { timeoutMs: 60_000 });
  return { result, accepted: mp.accepted, dropped: mp.requests.filter((r) => r.fault === 'drop-after-ingest').length };
}

interface CampaignReport extends Report {
  errorCode: string | null;
  resumed: number;
  records: Report['records'] & { resumed: Record<string, number> };
  http: Report['http'] & { nonIdempotentInFlight: number; nonIdempotentRetried: number };
}

describe('the crash campaign: SIGKILL at 5 progress points, re-run with the same checkpoint each time (issue 15)', () => {
  let campaign: Awaited<ReturnType<typeof crashCampaign>>;
  let fatal: Awaited<ReturnType<typeof fatalStop>>;
  let drops: Awaited<ReturnType<typeof ambiguousRetries>>;

  beforeAll(async () => {
    [campaign, fatal, drops] = await Promise.all([crashCampaign(), fatalStop(), ambiguousRetries()]);
    const twice = compareWithDryRun(dry, campaign.accepted, TOKEN).resent;
    console.info(
      `crash campaign: ${campaign.kills.map((k) => `kill at /engage request ${k.killAt} (${k.engageRequests} stored): ${k.unacknowledgedRecords} $add/$append in ${k.unacknowledgedRequests} unacknowledged requests`).join('; ')}; ` +
        `applied twice in all: ${twice.adds} $add, ${twice.appends} $append; events sent again ${twice.events}`,
    );
    const fatalTwice = compareWithDryRun(dry, fatal.accepted, TOKEN).resent;
    const dropsTwice = compareWithDryRun(dry, drops.accepted, TOKEN).resent;
    console.info(
      `401 stop: ${fatalTwice.adds + fatalTwice.appends} $add/$append applied twice after the re-run; ` +
        `${drops.dropped} requests stored then unanswered: ${dropsTwice.adds + dropsTwice.appends} $add/$append applied twice, reported ${JSON.stringify(jsonReport(drops.result.stdout).http)}`,
    );
  }, 60_000);

  it('the input has many $add/$append updates, and each run was killed where the hook said (not finished first)', () => {
    expect(dryResult.code, dryResult.stderr).toBe(0);
    expect(dry.filter((d) => d.endpoint === '/engage' && isNonIdempotent(d.record)).length).toBe(((LINES * 4) / 5) * 3);
    expect(campaign.kills.map((k) => k.signal)).toEqual(KILL_AT.map(() => 'SIGKILL'));
    for (const kill of campaign.kills) expect(kill.engageRequests).toBeGreaterThanOrEqual(kill.killAt);
  });

  it('0 events lost and nothing unexpected: every dry-run $insert_id and update reached the server', () => {
    const { missing, unexpected, examples } = compareWithDryRun(dry, campaign.accepted, TOKEN);
    expect({ missing, unexpected, examples }).toEqual({ missing: 0, unexpected: 0, examples: [] });
  });

  it('the last run finishes (exit 0) and its counts add up: resumed + read = every line, every line settled, /engage built = delivered + resumed', () => {
    const { last } = campaign;
    expect(last.code, last.stderr).toBe(0);
    const report = jsonReport(last.stdout) as CampaignReport;
    const { read, delivered, skipped, rejected, unsettled } = report.messages;
    expect({ lines: report.resumed + read, settled: delivered + skipped + rejected, unsettled }).toEqual({ lines: LINES, settled: read, unsettled: 0 });
    const { built, delivered: sent, resumed } = report.records;
    expect(built['/engage']).toBe((sent['/engage'] ?? 0) + (resumed['/engage'] ?? 0));
  });

  it('$add/$append applied twice = exactly those the kills left unacknowledged (none the journal had), at most what the requests on the connections held (concurrency) per kill', () => {
    const { resent } = compareWithDryRun(dry, campaign.accepted, TOKEN);
    const unacknowledged = campaign.kills.reduce((sum, k) => sum + k.unacknowledgedRecords, 0);
    expect(resent.adds + resent.appends).toBe(unacknowledged);
    for (const kill of campaign.kills) expect(kill.unacknowledgedRequests).toBeLessThanOrEqual(CONCURRENCY);
  });

  describe('a 401 on the third /engage request (the first /import one answered 503), then a re-run with good credentials', () => {
    it('the first run stops as fatal (exit 3) with nothing counted in flight; the re-run finishes (exit 0)', () => {
      expect(fatal.first.code, fatal.first.stderr).toBe(3);
      const report = jsonReport(fatal.first.stdout) as CampaignReport;
      expect({ errorCode: report.errorCode, inFlight: report.http.nonIdempotentInFlight }).toEqual({ errorCode: 'auth_failed', inFlight: 0 });
      expect(fatal.second.code, fatal.second.stderr).toBe(0);
    });

    it('0 events lost, and 0 acknowledged $add/$append applied again', () => {
      const { missing, unexpected, resent } = compareWithDryRun(dry, fatal.accepted, TOKEN);
      expect({ missing, unexpected, adds: resent.adds, appends: resent.appends }).toEqual({ missing: 0, unexpected: 0, adds: 0, appends: 0 });
      expect((jsonReport(fatal.second.stdout) as CampaignReport).records.resumed['/engage']).toBeGreaterThan(0);
    });
  });

  describe('requests stored and then unanswered (a reset after the server applied them), retried', () => {
    it('the run finishes (exit 0) with nothing lost, and http.nonIdempotentRetried = the $add/$append applied twice (> 0)', () => {
      expect(drops.result.code, drops.result.stderr).toBe(0);
      const { missing, unexpected, resent } = compareWithDryRun(dry, drops.accepted, TOKEN);
      const report = jsonReport(drops.result.stdout) as CampaignReport;
      expect({ missing, unexpected, dropped: drops.dropped > 0 }).toEqual({ missing: 0, unexpected: 0, dropped: true });
      expect(resent.adds + resent.appends).toBeGreaterThan(0);
      expect({ retried: report.http.nonIdempotentRetried, inFlight: report.http.nonIdempotentInFlight }).toEqual({ retried: resent.adds + resent.appends, inFlight: 0 });
    });
  });
});
