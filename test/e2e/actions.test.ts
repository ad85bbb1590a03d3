/**
 * The Actions preset end to end (SPEC §10): the built CLI, the Mixpanel-compatible test server
 * on 127.0.0.1, strict validation on. The preset goes through delivery, the checkpoint and the
 * --json report like the classic one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { generateMessages } from '../support/synth/index.js';
import { compareWithDryRun, EXACT_DELIVERY } from '../support/oracle.js';
import { ensureBuilt, jsonReport, readNdjson, runCli, tempDir, writeLines, type DryRecord } from '../support/cli.js';

const TOKEN = DEFAULT_PROJECT.token;
const QUIET = ['--backoff', '20', '--quiet'];

let tmp: ReturnType<typeof tempDir>;
let settingsFile: string;
let input: string;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir();
  settingsFile = join(tmp.path, 'actions-settings.json');
  writeFileSync(settingsFile, JSON.stringify({ projectToken: TOKEN, apiSecret: DEFAULT_PROJECT.apiSecret, sourceName: 'e2e-source', generatePurchaseEventPerProduct: true }));
  input = writeLines(join(tmp.path, 'messages.ndjson'), generateMessages({ count: 4_000, seed: 19 }));
}, 120_000);


afterAll(() => tmp.cleanup());

/** One server per test, on 127.0.0.1 and a free port; closed after the test. */
const server = useTestServers();

async function dryRun(extra: string[] = []): Promise<DryRecord[]> {
  const out = tmp.unique('dry.ndjson');
  const result = await runCli(['import', input, '--settings', settingsFile, '--dry-run', '--out', out, '--quiet', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return readNdjson<DryRecord>(out);
}

describe('§10 the Actions preset delivers', () => {
  it('§10 4 000 messages selected by the Actions settings keys: strict /import, /engage and /groups accept every record of the dry run once; no $create_alias', async () => {
    const dry = await dryRun();
    expect(new Set(dry.map((d) => d.endpoint))).toEqual(new Set(['/import', '/engage', '/groups']));
    expect(dry.some((d) => d.endpoint === '/import' && d.record.event === '$identify')).toBe(true);
    const mp = await server({ requireAuth: true });
    const result = await runCli(['import', input, '--settings', settingsFile, '--api-host', mp.url, '--json', ...QUIET]);
    expect(result.code, result.stderr).toBe(0);
    const report = jsonReport(result.stdout) as ReturnType<typeof jsonReport> & { preset: string; skipped: Record<string, { count: number }> };
    expect(report.preset).toBe('actions');
    expect(report.messages.rejected).toBe(0);
    expect(report.skipped['alias is not mapped by the Actions preset']?.count).toBeGreaterThan(0);
    expect(compareWithDryRun(dry, mp.accepted, TOKEN)).toEqual(EXACT_DELIVERY);
    expect(mp.accepted.filter((a) => a.endpoint === '/import' && a.record.event === '$create_alias')).toEqual([]);
  }, 90_000);

  it('§5 §10 a simplified ID merge project accepts the whole run: no identity event is sent', async () => {
    const mp = await server({ projects: [{ ...DEFAULT_PROJECT, identity: 'simplified' }] });
    const result = await runCli(['import', input, '--settings', settingsFile, '--api-host', mp.url, '--identity', 'simplified', '--json', ...QUIET]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonReport(result.stdout).messages.rejected).toBe(0);
    expect(mp.accepted.filter((a) => a.endpoint === '/import' && ['$identify', '$create_alias'].includes(a.record.event as string))).toEqual([]);
  }, 90_000);
});

describe('§7 §10 a checkpoint belongs to its preset', () => {
  it('§10 a journal written under classic is refused under --preset actions (exit 2), and reused with --force', async () => {
    const mp = await server();
    const checkpoint = tmp.unique('journal.json');
    const common = ['import', input, '--api-host', mp.url, '--token', TOKEN, '--api-secret', DEFAULT_PROJECT.apiSecret, '--checkpoint', checkpoint, '--json', ...QUIET];
    const classic = await runCli([...common, '--preset', 'classic']);
    expect(classic.code, classic.stderr).toBe(0);
    const refused = await runCli([...common, '--preset', 'actions']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('preset actions');
    const forced = await runCli([...common, '--preset', 'actions', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect((jsonReport(forced.stdout) as unknown as { resumed: number }).resumed).toBe(4_000);
  }, 90_000);
});

describe('§6.1 §10 --actions-alias: alias calls delivered as $create_alias, ordered like classic', () => {
  const at = (minute: number) => `2026-11-29T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const track = (n: number, userId: string, minute: number) => JSON.stringify({ type: 'track', event: `Late Alias Step ${n}`, messageId: `late-track-${n}`, userId, timestamp: at(minute), properties: { step: n } });
  const alias = (n: number, previousId: string, userId: string, minute: number) => JSON.stringify({ type: 'alias', messageId: `late-alias-${n}`, previousId, userId, timestamp: at(minute) });
  /** Each alias comes after the events of its new id in the file: the alias pass must still send it first. */
  const LINES = [track(1, 'user-late-a', 1), track(2, 'user-other-z', 2), track(3, 'user-late-b', 3), track(4, 'user-late-a', 4), alias(1, 'anon-late-a', 'user-late-a', 5), alias(2, 'anon-late-b', 'user-late-b', 6)];
  const ALIAS_DELAY = 40;

  it('§10 each $create_alias is acknowledged, and the alias delay passed, before any event of its new id arrives', async () => {
    const file = writeLines(tmp.unique('late-alias.ndjson'), LINES);
    const mp = await server();
    const result = await runCli(['import', file, '--api-host', mp.url, '--token', TOKEN, '--api-secret', DEFAULT_PROJECT.apiSecret, '--preset', 'actions', '--actions-alias', '--alias-delay', String(ALIAS_DELAY), '--json', ...QUIET]);
    expect(result.code, result.stderr).toBe(0);
    const aliases = mp.accepted.filter((a) => a.record.event === '$create_alias');
    expect(aliases.map((a) => [a.record.properties.distinct_id, a.record.properties.alias])).toEqual([['anon-late-a', 'user-late-a'], ['anon-late-b', 'user-late-b']]);
    const releasedAt = new Map(aliases.map((a) => [a.record.properties.alias as string, a.ackedAtMs + ALIAS_DELAY]));
    const events = mp.accepted.filter((a) => a.record.event !== '$create_alias');
    expect(events.map((a) => a.record.event).sort()).toEqual(['Late Alias Step 1', 'Late Alias Step 2', 'Late Alias Step 3', 'Late Alias Step 4']);
    const early = events.filter((a) => a.arrivedAtMs < (releasedAt.get(a.record.properties.distinct_id as string) ?? -Infinity));
    expect(early.map((a) => a.record.event)).toEqual([]);
  }, 60_000);

  it('§7 §10 a journal written with --actions-alias is refused without it (exit 2), and reused with --force', async () => {
    const file = writeLines(tmp.unique('alias-journal.ndjson'), LINES);
    const mp = await server();
    const checkpoint = tmp.unique('alias-journal.json');
    const common = ['import', file, '--api-host', mp.url, '--token', TOKEN, '--api-secret', DEFAULT_PROJECT.apiSecret, '--preset', 'actions', '--checkpoint', checkpoint, '--alias-delay', '0', '--json', ...QUIET];
    const withAlias = await runCli([...common, '--actions-alias']);
    expect(withAlias.code, withAlias.stderr).toBe(0);
    const refused = await runCli(common);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('preset actions with alias');
    const forced = await runCli([...common, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  }, 60_000);
});
