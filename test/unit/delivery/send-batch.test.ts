/**
 * One batch's send loop (README "Delivery"), on an injected clock: a 429 with Retry-After, a stop
 * during a backoff, a 413 split and a fatal 401, each without real time passing.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryConfig } from '../../../src/config/run-config.js';
import { createDeliverySink } from '../../../src/delivery/sink.js';
import { NO_DELIVERY } from '../../../src/delivery/stats.js';
import type { Reply } from '../../../src/mixpanel/classify.js';
import type { MixpanelClient } from '../../../src/mixpanel/client.js';
import { Accounting } from '../../../src/run/accounting.js';
import { fakeClient, importBlock } from '../../support/delivery.js';
import { fakeClock, settle, until } from '../../support/fake-clock.js';

const CONFIG: DeliveryConfig & { backoff: { baseMs: number; maxMs: number } } = {
  origin: 'http://127.0.0.1:1',
  auth: { kind: 'api-secret', secret: 'secret-send-loop' },
  concurrency: 1,
  batchSize: 2000,
  rate: null,
  aliasDelayMs: 0,
  maxRetries: 3,
  timeoutMs: 1_000,
  // Jitter at random 0 is half the base: 50 ms.
  backoff: { baseMs: 100, maxMs: 1_000 },
};

const OK: Reply = { status: 200, retryAfter: null, body: '{"code":200,"num_records_imported":3,"status":"OK"}' };
const TOO_LARGE: Reply = { status: 413, retryAfter: null, body: '{"code":413,"error":"request too large","status":"Payload Too Large"}' };

/** A sink on a fake clock whose client answers from `replies` in order (the last one repeats). */
function sendLoop(replies: readonly Reply[] | ((records: unknown[]) => Reply), config: Partial<DeliveryConfig> = {}) {
  const clock = fakeClock(1_000_000);
  const accounting = new Accounting();
  const stats = { ...NO_DELIVERY };
  let next = 0;
  const client = fakeClient(typeof replies === 'function' ? replies : () => replies[Math.min(next++, replies.length - 1)]!);
  const sink = createDeliverySink({ ...CONFIG, ...config }, accounting, stats, { client, clock, random: () => 0 }, null);
  const settled: Array<[number, string | null]> = [];
  const start = (lines: number, idempotent = true) => {
    const block = importBlock(lines, idempotent);
    void sink.accept(block, Array.from({ length: lines }, (_, i) => i), (line, rejection) => settled.push([line, rejection?.reason ?? null]));
    const finished = sink.finish().then(
      () => 'finished',
      (error: Error) => `failed: ${error.message}`,
    );
    return finished;
  };
  return { clock, accounting, stats, client, sink, settled, start };
}

describe('the send loop on an injected clock', () => {
  it('a 429 with Retry-After: 0.7 waits 700 ms plus jitter (not the 100 ms backoff), then the batch is delivered', async () => {
    const loop = sendLoop([{ status: 429, retryAfter: '0.7', body: '' }, OK]);
    const finished = loop.start(3);
    await until(() => loop.clock.pending() === 1);
    expect(loop.client.requests).toHaveLength(1);
    // The progress display shows the wait: it ends 750 ms after the 429.
    expect(loop.sink.rateLimitedUntil).toBe(1_000_000 + 750);
    await loop.clock.advance(749);
    expect(loop.client.requests).toHaveLength(1);
    await loop.clock.advance(1);
    await settle();
    expect(await finished).toBe('finished');
    expect(loop.client.requests).toHaveLength(2);
    expect({ retries: loop.stats.retries, status429: loop.stats.status429 }).toEqual({ retries: 1, status429: 1 });
    expect(loop.settled).toEqual([[0, null], [1, null], [2, null]]);
  });

  it('a 429 with Retry-After: 3600 waits only the backoff ceiling (1 s here) plus jitter, and the cut is counted', async () => {
    const loop = sendLoop([{ status: 429, retryAfter: '3600', body: '' }, OK]);
    const finished = loop.start(3);
    await until(() => loop.clock.pending() === 1);
    await loop.clock.advance(1_049);
    expect(loop.client.requests).toHaveLength(1);
    await loop.clock.advance(1);
    await settle();
    expect(await finished).toBe('finished');
    expect(loop.client.requests).toHaveLength(2);
    expect({ retryAfterCapped: loop.stats.retryAfterCapped, settled: loop.settled.length }).toEqual({ retryAfterCapped: 1, settled: 3 });
  });

  it('a Retry-After within the ceiling is not counted as cut', async () => {
    const loop = sendLoop([{ status: 429, retryAfter: '1', body: '' }, OK]);
    const finished = loop.start(2);
    await until(() => loop.clock.pending() === 1);
    await loop.clock.advance(1_050);
    await settle();
    expect(await finished).toBe('finished');
    expect(loop.stats.retryAfterCapped).toBe(0);
  });

  it('a stop during a backoff ends the wait at once: no further request, the lines stay unsettled, $add updates counted as maybe applied', async () => {
    const loop = sendLoop([{ status: 503, retryAfter: null, body: '' }, OK]);
    const finished = loop.start(4, false);
    await until(() => loop.clock.pending() === 1);
    expect(loop.clock.slept).toEqual([150]);
    loop.sink.stop();
    expect(await finished).toBe('finished');
    expect(loop.client.requests).toHaveLength(1);
    expect(loop.settled).toEqual([]);
    expect(loop.stats.nonIdempotentInFlight).toBe(4);
  });

  it('a 413 splits the batch into halves, and each half is sent once it fits (no waiting)', async () => {
    const loop = sendLoop((records) => (records.length > 2 ? TOO_LARGE : OK));
    expect(await loop.start(5)).toBe('finished');
    expect(loop.client.requests.map((r) => r.length)).toEqual([5, 3, 2, 1, 2]);
    expect(loop.clock.slept).toEqual([]);
    expect(loop.accounting.recordsDelivered.get('/import')).toBe(5);
    expect(loop.settled.map(([line, reason]) => [line, reason])).toEqual([[0, null], [1, null], [2, null], [3, null], [4, null]]);
  });

  it('a 307 is fatal at once, said as a redirect not followed with the Location host, not as a credentials problem', async () => {
    const loop = sendLoop([{ status: 307, retryAfter: null, body: '', location: 'https://eu.proxy.example/import' }]);
    const outcome = await loop.start(2);
    expect(outcome).toBe('failed: HTTP 307 from /import: a redirect to eu.proxy.example, not followed (a request with credentials is sent only where --api-host or --region says); check --api-host');
    expect(loop.client.requests).toHaveLength(1);
  });

  it('a 401 is fatal at once: no retry, every line settled as not delivered naming the credential kind, finish fails', async () => {
    const loop = sendLoop([{ status: 401, retryAfter: null, body: '{"error":"Invalid API secret","status":0}' }]);
    const finished = loop.start(2);
    const outcome = await finished;
    expect(outcome).toMatch(/^failed: Mixpanel answered 401 to \/import \(Invalid API secret\); check the credentials using the project API secret/);
    expect(outcome).not.toContain('secret-send-loop');
    expect(loop.client.requests).toHaveLength(1);
    expect(loop.stats.retries).toBe(0);
    expect(loop.settled.map(([line, reason]) => [line, reason?.replace(/\(.*/, '')])).toEqual([
      [0, 'not delivered: the run stopped '],
      [1, 'not delivered: the run stopped '],
    ]);
    expect(loop.sink.fatal).toMatch(/^Mixpanel answered 401/);
  });

  it('after a 401, a batch waiting for the connection is not sent: no request starts after a fatal error', async () => {
    const loop = sendLoop([{ status: 401, retryAfter: null, body: '{"error":"Invalid API secret","status":0}' }, OK], { batchSize: 2 });
    const answer = holdReplies(loop.client);
    const finished = loop.start(6);
    // The other two batches are encoded and wait for the one connection before the 401 comes.
    await until(() => loop.stats.requests === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    answer();
    expect(await finished).toMatch(/^failed: Mixpanel answered 401/);
    expect(loop.client.requests).toHaveLength(1);
    const settled = loop.settled.map(([line, reason]) => [line, reason?.slice(0, 30)]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(settled).toEqual([0, 1, 2, 3, 4, 5].map((line) => [line, 'not delivered: the run stopped']));
  });

  it('a batch paced before a 429 and queued for the connection is paced again at the lowered pace, not sent at once', async () => {
    const TOO_MANY: Reply = { status: 429, retryAfter: null, body: '' };
    const loop = sendLoop([OK, TOO_MANY, OK], { batchSize: 2 });
    const answer = holdReplies(loop.client);
    const finished = loop.start(6);
    // Three batches passed the (still unlimited) pace; the second and third wait for the one connection.
    await until(() => loop.stats.requests === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    answer();
    await until(() => loop.stats.status429 === 1);
    await settle();
    // The 429 lowered the pace to its floor, 100 records/s, with nothing in hand: 2 records wait 20 ms.
    expect(loop.client.requests).toHaveLength(2);
    await loop.clock.advance(19);
    expect(loop.client.requests).toHaveLength(2);
    await loop.clock.advance(1);
    await until(() => loop.client.requests.length === 3);
    await loop.clock.advance(1_000);
    expect(await finished).toBe('finished');
    expect({ requests: loop.client.requests.length, status429: loop.stats.status429 }).toEqual({ requests: 4, status429: 1 });
  });

  it('a stop while a request is in flight: that request finishes, and none of the batches queued behind it is sent', async () => {
    const loop = sendLoop(() => OK, { batchSize: 2 });
    const answer = holdReplies(loop.client);
    const finished = loop.start(6);
    await until(() => loop.stats.requests === 1);
    loop.sink.stop();
    answer();
    expect(await finished).toBe('finished');
    // Which batch is encoded first (gzip runs on the thread pool) and takes the connection varies: one whole batch is settled.
    const [first, second] = loop.settled.map(([line]) => Number(line)).sort((a, b) => a - b);
    const batchStart = first! - (first! % 2);
    expect({ requests: loop.client.requests.length, settled: loop.settled.length, reasons: loop.settled.map(([, reason]) => reason) }).toEqual({ requests: 1, settled: 2, reasons: [null, null] });
    expect([first, second]).toEqual([batchStart, batchStart + 1]);
  });

  describe('$add/$append counted as maybe applied: in flight at a stop, or sent again after an ambiguous failure', () => {
    const reset = (): Reply => {
      throw new Error('socket hang up');
    };
    it.each([
      { first: 'a connection reset', reply: reset, retried: 4 },
      { first: 'a 502', reply: (): Reply => ({ status: 502, retryAfter: null, body: '' }), retried: 4 },
      { first: 'a 429 (nothing applied)', reply: (): Reply => ({ status: 429, retryAfter: null, body: '' }), retried: 0 },
      { first: 'a 408 (nothing applied)', reply: (): Reply => ({ status: 408, retryAfter: null, body: '' }), retried: 0 },
    ])('$first, then delivered: nonIdempotentRetried = $retried', async ({ reply, retried }) => {
      let calls = 0;
      const loop = sendLoop(() => (calls++ === 0 ? reply() : OK));
      const finished = loop.start(4, false);
      await until(() => loop.clock.pending() === 1);
      await loop.clock.advance(10_000);
      expect(await finished).toBe('finished');
      expect({ retried: loop.stats.nonIdempotentRetried, inFlight: loop.stats.nonIdempotentInFlight, requests: loop.client.requests.length }).toEqual({ retried, inFlight: 0, requests: 2 });
    });

    it.each([
      { name: 'a 401 (a refusal: nothing applied)', reply: { status: 401, retryAfter: null, body: '{"error":"bad"}' }, inFlight: 0 },
      { name: 'a stop during the backoff after a 429', reply: { status: 429, retryAfter: null, body: '' }, inFlight: 0 },
      { name: 'a stop during the backoff after a 500', reply: { status: 500, retryAfter: null, body: '' }, inFlight: 3 },
    ])('$name: nonIdempotentInFlight = $inFlight', async ({ reply, inFlight }) => {
      const loop = sendLoop([reply]);
      const finished = loop.start(3, false);
      await until(() => loop.stats.requests === 1 && (loop.clock.pending() === 1 || loop.sink.fatal !== null));
      loop.sink.stop();
      await finished;
      expect({ inFlight: loop.stats.nonIdempotentInFlight, retried: loop.stats.nonIdempotentRetried }).toEqual({ inFlight, retried: 0 });
    });
  });
});

/** Hold the client's replies until the returned function is called (every reply after it goes at once). */
function holdReplies(client: MixpanelClient): () => void {
  let answer: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (answer = resolve));
  const post = client.post.bind(client);
  client.post = async (endpoint, body, gzip) => {
    await held;
    return post(endpoint, body, gzip);
  };
  return answer;
}
