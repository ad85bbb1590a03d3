/**
 * SPEC §6 and §7, the sender on its own: a packed block goes in, requests go to a client that
 * answers what each case needs, and every line settles once with the right outcome, while the
 * record counts add up. (The end-to-end tests cover the same paths against the real test server.)
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryConfig } from '../../../src/config/run-config.js';
import type { Reply } from '../../../src/mixpanel/classify.js';
import { Accounting } from '../../../src/run/accounting.js';
import { AliasGate } from '../../../src/delivery/alias-gate.js';
import { createDeliverySink } from '../../../src/delivery/sink.js';
import { systemClock } from '../../../src/lib/clock.js';
import type { OutgoingBlock } from '../../../src/delivery/outgoing-block.js';
import type { MixpanelClient } from '../../../src/mixpanel/client.js';
import { fakeClient, importBlock, peopleBlock } from '../../support/delivery.js';
import type { RecordJournal } from '../../../src/delivery/record-journal.js';
import { NO_DELIVERY } from '../../../src/delivery/stats.js';

const CONFIG: DeliveryConfig = {
  origin: 'http://127.0.0.1:1',
  auth: { kind: 'api-secret', secret: 'secret-for-tests' },
  concurrency: 2,
  batchSize: 2000,
  rate: null,
  aliasDelayMs: 0,
  maxRetries: 0,
  timeoutMs: 1_000,
  backoff: { baseMs: 1, maxMs: 1 },
};

async function deliver(block: OutgoingBlock, client: MixpanelClient, gate: AliasGate | null = null) {
  const accounting = new Accounting();
  const stats = { ...NO_DELIVERY };
  const sink = createDeliverySink(CONFIG, accounting, stats, { client, clock: systemClock, random: () => 0 }, gate);
  const settled: Array<[number, string | null]> = [];
  const lines = Array.from({ length: block.lineCount }, (_, i) => i);
  await sink.accept(block, lines, (line, rejection) => settled.push([line, rejection?.reason ?? null]));
  await sink.finish().catch(() => undefined);
  settled.sort((a, b) => a[0] - b[0]);
  return { accounting, stats, settled };
}

const ok: Reply = { status: 200, retryAfter: null, body: '{"code":200,"num_records_imported":1,"status":"OK"}' };
const partial = (failed: Array<{ index: number; message: string }>): Reply => ({
  status: 400,
  retryAfter: null,
  body: JSON.stringify({ code: 400, error: 'some data points in the request failed validation', status: 'Bad Request', failed_records: failed.map((f) => ({ ...f, insert_id: '', field: 'event' })) }),
});

describe('§6 the sender, line by line', () => {
  it('a delivered batch settles every line as delivered, once, with the records in order', async () => {
    const client = fakeClient(() => ok);
    const { accounting, settled } = await deliver(importBlock(5), client);
    expect(client.requests).toEqual([[0, 1, 2, 3, 4].map((n) => ({ n }))]);
    expect(settled).toEqual([0, 1, 2, 3, 4].map((line) => [line, null]));
    expect(accounting.recordsDelivered.get('/import')).toBe(5);
  });

  it('a partial 400 rejects the listed records only; an index outside the batch rejects nothing', async () => {
    const client = fakeClient(() => partial([{ index: 1, message: 'bad one' }, { index: 3, message: 'bad three' }, { index: 4000, message: 'nowhere' }]));
    const { accounting, settled } = await deliver(importBlock(5), client);
    expect(settled).toEqual([
      [0, null],
      [1, 'Mixpanel rejected the record: bad one (event)'],
      [2, null],
      [3, 'Mixpanel rejected the record: bad three (event)'],
      [4, null],
    ]);
    expect(accounting.recordsDelivered.get('/import')).toBe(3);
    expect(accounting.recordsRejected.get('/import')).toBe(2);
  });

  it('a 413 splits the batch into halves cut from the gzipped body, until each fits', async () => {
    const client = fakeClient((records) => (records.length > 2 ? { status: 413, retryAfter: null, body: '{"code":413,"error":"request too large","status":"Payload Too Large"}' } : ok));
    const { accounting, settled, stats } = await deliver(importBlock(5), client);
    expect(client.requests.map((records) => records.map((r) => (r as { n: number }).n))).toEqual([[0, 1, 2, 3, 4], [0, 1, 2], [0, 1], [2], [3, 4]]);
    expect(settled).toEqual([0, 1, 2, 3, 4].map((line) => [line, null]));
    expect(accounting.recordsDelivered.get('/import')).toBe(5);
    expect(stats.requests).toBe(5);
  });

  it('after the last retry the run stops: every line is settled as not delivered, and the failure is fatal', async () => {
    const client = fakeClient(() => ({ status: 503, retryAfter: null, body: '' }));
    const { accounting, settled } = await deliver(importBlock(3), client);
    expect(settled.map(([line]) => line)).toEqual([0, 1, 2]);
    for (const [, reason] of settled) expect(reason).toMatch(/^not delivered: the run stopped \(giving up after 1 attempts/);
    expect(accounting.recordsRejected.get('/import')).toBe(3);
  });

  it('§6.1 a record about the new id of an alias waits until the alias is acknowledged; the others do not wait', async () => {
    const gate = new AliasGate(0, systemClock);
    gate.expect('user-1');
    // The first request stands for the one that carried the alias: its acknowledgement frees the id.
    const client = fakeClient(() => {
      gate.acknowledged('user-1');
      return ok;
    });
    const { settled } = await deliver(importBlock(3), client, gate);
    expect(client.requests).toEqual([[{ n: 0 }, { n: 2 }], [{ n: 1 }]]);
    expect(settled).toEqual([0, 1, 2].map((line) => [line, null]));
  });
});

/** The checkpoint's per-record side: what an earlier run acknowledged, and what this one does. */
function fakeJournal(earlier: ReadonlyArray<readonly [number, number]>) {
  const acknowledged: Array<[string, number, number]> = [];
  const journal: RecordJournal = {
    isAcknowledged: (file, line, position) => file === 'day.ndjson' && earlier.some(([l, p]) => l === line && p === position),
    acknowledge: (file, line, position) => void acknowledged.push([file, line, position]),
    written: () => Promise.resolve(),
  };
  return { journal, acknowledged };
}

/** Mixpanel's success as both /import and /engage read it. */
const okEverywhere: Reply = { status: 200, retryAfter: null, body: '{"status":1,"num_records_imported":1}' };

describe('§7 acknowledged $add/$append records (issue 15, "Applied twice")', () => {
  async function deliverWith(journal: RecordJournal, reply: Reply) {
    const client = fakeClient(() => reply);
    const accounting = new Accounting();
    const sink = createDeliverySink(CONFIG, accounting, { ...NO_DELIVERY }, { client, clock: systemClock, random: () => 0, journal }, null);
    const settled: Array<[number, string | null]> = [];
    await sink.accept(peopleBlock(3), [0, 1, 2], (line, rejection) => settled.push([line, rejection?.reason ?? null]));
    const finished = await sink.finish().then(() => 'finished', (error: Error) => error.message);
    const sent = Object.fromEntries(client.endpoints.map((endpoint, i) => [endpoint, client.requests[i]]));
    return { accounting, settled: settled.sort((a, b) => a[0] - b[0]), sent, finished };
  }

  it('a record an earlier run had acknowledged is not sent again; its line\'s other records are, and the line settles delivered', async () => {
    const { journal } = fakeJournal([[2, 1]]);
    const { accounting, settled, sent } = await deliverWith(journal, okEverywhere);
    expect(sent).toEqual({ '/import': [{ n: 0 }, { n: 1 }, { n: 2 }], '/engage': [{ add: 0 }, { set: 0 }, { set: 1 }, { add: 2 }, { set: 2 }] });
    expect(settled).toEqual([0, 1, 2].map((line) => [line, null]));
    expect({ delivered: accounting.recordsDelivered.get('/engage'), resumed: Object.fromEntries(accounting.recordsResumed) }).toEqual({ delivered: 5, resumed: { '/engage': 1 } });
  });

  it('an idempotent record at an acknowledged place is sent anyway (only $add/$append are journalled)', async () => {
    const { journal } = fakeJournal([[1, 2], [3, 0]]);
    const { sent, accounting } = await deliverWith(journal, okEverywhere);
    expect({ imports: sent['/import']!.length, engage: sent['/engage']!.length, resumed: accounting.recordsResumed.size }).toEqual({ imports: 3, engage: 6, resumed: 0 });
  });

  it('an acknowledged /engage batch journals each $add by file, line and 0-based position; events and $set are not journalled', async () => {
    const { journal, acknowledged } = fakeJournal([]);
    await deliverWith(journal, okEverywhere);
    expect(acknowledged).toEqual([['day.ndjson', 1, 1], ['day.ndjson', 2, 1], ['day.ndjson', 3, 1]]);
  });

  it('a refused batch (401) journals nothing', async () => {
    const { journal, acknowledged } = fakeJournal([]);
    const { finished } = await deliverWith(journal, { status: 401, retryAfter: null, body: '{"error":"bad"}' });
    expect({ finished: finished.includes('401'), acknowledged }).toEqual({ finished: true, acknowledged: [] });
  });
});
