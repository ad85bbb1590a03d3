/** Shared backoff, client-side rate, alias gate and batching: the ordering and pacing rules of SPEC §6. */
import { describe, expect, it } from 'vitest';
import { AliasGate } from '../../../src/delivery/alias-gate.js';
import { Batcher, BodyPool, sliceBatch, type Batch, type RecordSource } from '../../../src/delivery/batcher.js';
import { AdaptivePace, RateLimiter, SharedBackoff } from '../../../src/delivery/pacing.js';
import type { Endpoint } from '../../../src/mixpanel/types.js';
import { fakeClock } from '../../support/fake-clock.js';
import { LineTally } from '../../../src/delivery/line-tally.js';

describe('SharedBackoff', () => {
  it('§6 one 429 pauses every request of the run, not just the one that got it', async () => {
    const clock = fakeClock();
    const backoff = new SharedBackoff(clock);
    backoff.pause(3_000);
    let first = false;
    let second = false;
    void backoff.wait().then(() => (first = true));
    void backoff.wait().then(() => (second = true));
    await clock.advance(2_999);
    expect([first, second]).toEqual([false, false]);
    await clock.advance(1);
    expect([first, second]).toEqual([true, true]);
  });

  it('a later, shorter pause does not cut an earlier, longer one', async () => {
    const clock = fakeClock();
    const backoff = new SharedBackoff(clock);
    backoff.pause(5_000);
    backoff.pause(1_000);
    let done = false;
    void backoff.wait().then(() => (done = true));
    await clock.advance(1_000);
    expect(done).toBe(false);
    await clock.advance(4_000);
    expect(done).toBe(true);
  });
});

describe('RateLimiter (--rate)', () => {
  it('lets one second of allowance through at once, then paces the rest', async () => {
    const clock = fakeClock();
    const rate = new RateLimiter(1_000, clock);
    await rate.take(1_000);
    let second = false;
    void rate.take(500).then(() => (second = true));
    await clock.advance(499);
    expect(second).toBe(false);
    await clock.advance(1);
    expect(second).toBe(true);
  });

  it('a request larger than a second of allowance still goes once the bucket is full', async () => {
    const clock = fakeClock();
    const rate = new RateLimiter(100, clock);
    await rate.take(2_000);
    expect(clock.slept).toEqual([]);
  });
});

describe('AliasGate', () => {
  it('§6.1 records about an alias new id wait for its acknowledgement plus the alias delay; other ids pass', async () => {
    const clock = fakeClock();
    const gate = new AliasGate(1_000, clock);
    expect(gate.holdsAny()).toBe(false);
    gate.expect('user-new-1');
    expect(gate.holdsAny()).toBe(true);
    const released: string[] = [];
    expect(gate.isHeld('user-new-1')).toBe(true);
    expect(gate.isHeld('user-other-2')).toBe(false);
    gate.whenFree('user-other-2', () => released.push('other'));
    gate.whenFree('user-new-1', () => released.push('aliased'));
    expect(released).toEqual(['other']);
    gate.acknowledged('user-new-1');
    await clock.advance(999);
    expect(released).toEqual(['other']);
    await clock.advance(1);
    expect(released).toEqual(['other', 'aliased']);
    expect(gate.isHeld('user-new-1')).toBe(false);
    expect(gate.holdsAny()).toBe(false);
  });

  it('§6.1 an id aliased twice is held until both aliases are acknowledged', async () => {
    const clock = fakeClock();
    const gate = new AliasGate(0, clock);
    gate.expect('user-new-3');
    gate.expect('user-new-3');
    gate.acknowledged('user-new-3');
    await clock.advance(0);
    expect(gate.isHeld('user-new-3')).toBe(true);
    gate.acknowledged('user-new-3');
    await clock.advance(0);
    expect(gate.isHeld('user-new-3')).toBe(false);
  });
});

/** Records as a batch sees them: an endpoint and JSON text each, by index; counts how often each is taken. */
class Records implements RecordSource {
  private readonly list: Array<{ endpoint: Endpoint; json: string }> = [];
  readonly taken: number[] = [];

  add(endpoint: Endpoint, json: string): number {
    this.list.push({ endpoint, json });
    this.taken.push(0);
    return this.list.length - 1;
  }

  endpoint(record: number): Endpoint {
    return this.list[record]!.endpoint;
  }

  byteLength(record: number): number {
    return Buffer.byteLength(this.list[record]!.json);
  }

  takeRecord(record: number, target: Buffer, at: number): void {
    this.taken[record]! += 1;
    target.write(this.list[record]!.json, at, 'utf8');
  }
}

const body = (batch: Batch): string => batch.json.toString('utf8');

describe('Batcher', () => {
  it('§6 a batch is complete at --batch-size records, per endpoint; its body is the JSON array of its records', () => {
    const records = new Records();
    const batcher = new Batcher<Records>(3, new BodyPool());
    const add = (endpoint: Endpoint, json: string) => batcher.add(records, records.add(endpoint, json));
    expect(add('/import', '{"e":1}')).toEqual([]);
    expect(add('/engage', '{"p":"€"}')).toEqual([]);
    expect(add('/import', '{"e":2}')).toEqual([]);
    const [full] = add('/import', '{"e":3}');
    expect(full!.endpoint).toBe('/import');
    expect(body(full!)).toBe('[{"e":1},{"e":2},{"e":3}]');
    expect(full!.ends).toEqual([8, 16, 24]);
    expect(batcher.drain().map((b) => [b.endpoint, body(b)])).toEqual([['/engage', '[{"p":"€"}]']]);
    // Each record was copied into its body exactly once, when it was added.
    expect(records.taken).toEqual([1, 1, 1, 1]);
  });

  it('§6 records from several sources keep their order and their source; a 413 split cuts the body in two', () => {
    const [first, second] = [new Records(), new Records()];
    const pool = new BodyPool();
    const batcher = new Batcher<Records>(2000, pool);
    batcher.add(first, first.add('/import', '{"from":"first","n":0}'));
    batcher.add(second, second.add('/import', '{"from":"second","n":0}'));
    batcher.add(first, first.add('/import', '{"from":"first","n":1}'));
    const [batch] = batcher.drain();
    expect(batch!.sources).toEqual([first, second, first]);
    expect(batch!.records).toEqual([0, 0, 1]);
    expect(body(batch!)).toBe('[{"from":"first","n":0},{"from":"second","n":0},{"from":"first","n":1}]');
    const json = Buffer.from(batch!.json); // as recovered from the gzipped body
    const [left, right] = [sliceBatch(batch!, 0, 2, json, pool), sliceBatch(batch!, 2, 3, json, pool)];
    expect(body(left)).toBe('[{"from":"first","n":0},{"from":"second","n":0}]');
    expect(left.sources).toEqual([first, second]);
    expect(body(right)).toBe('[{"from":"first","n":1}]');
    expect(right.records).toEqual([1]);
    // The halves can be split again.
    expect(body(sliceBatch(left, 1, 2, left.json, pool))).toBe('[{"from":"second","n":0}]');
  });

  it('§6 a batch never passes 10 MB of JSON: the record that would cross it starts the next batch', () => {
    const records = new Records();
    const batcher = new Batcher<Records>(2000, new BodyPool());
    const big = `"${'x'.repeat(3 * 1024 * 1024)}"`;
    const add = () => batcher.add(records, records.add('/import', big));
    expect(add()).toEqual([]);
    expect(add()).toEqual([]);
    expect(add()).toEqual([]);
    const [full] = add();
    expect(full!.records.length).toBe(3);
    expect(full!.json.length).toBe(3 * big.length + 4);
    expect(batcher.drain().map((b) => b.records.length)).toEqual([1]);
  });

  it('§6 the 10 MB limit counts bytes, not characters: 1 Mi "€" is 3 MiB', () => {
    const records = new Records();
    const batcher = new Batcher<Records>(2000, new BodyPool());
    const add = () => batcher.add(records, records.add('/import', `"${'€'.repeat(1024 * 1024)}"`));
    expect(add()).toEqual([]);
    expect(add()).toEqual([]);
    expect(add()).toEqual([]);
    expect(add().map((b) => b.records.length)).toEqual([3]);
  });

  it.each([
    { name: 'one record per source, at most 3', sources: 7, perSource: 1, limit: 3, sizes: [3, 3, 1] },
    { name: 'two records per source, at most 3', sources: 7, perSource: 2, limit: 3, sizes: [6, 6, 2] },
    { name: 'the default, 32', sources: 70, perSource: 1, limit: undefined, sizes: [32, 32, 6] },
  ])('§6 a batch takes records from at most so many sources (the blocks it keeps in memory): $name', ({ sources, perSource, limit, sizes }) => {
    const batcher = new Batcher<Records>(2000, new BodyPool(), limit);
    const batches: Batch[] = [];
    for (let i = 0; i < sources; i += 1) {
      const source = new Records();
      for (let k = 0; k < perSource; k += 1) batches.push(...batcher.add(source, source.add('/groups', `{"g":${k}}`)));
    }
    batches.push(...batcher.drain());
    expect(batches.map((batch) => batch.records.length)).toEqual(sizes);
  });

  it('§6 a source met again (a record released by the alias gate between others) is not counted twice', () => {
    const [early, ...later] = Array.from({ length: 4 }, () => new Records());
    const batcher = new Batcher<Records>(2000, new BodyPool(), 4);
    const batches: Batch[] = [];
    for (const source of later) {
      batches.push(...batcher.add(source, source.add('/import', '{"later":1}')));
      batches.push(...batcher.add(early!, early!.add('/import', '{"early":1}')));
    }
    expect(batches).toEqual([]);
    expect(batcher.drain().map((batch) => batch.records.length)).toEqual([6]);
  });

  it('a batch body grows past its first memory and reuses memory given back', () => {
    const records = new Records();
    const pool = new BodyPool();
    const batcher = new Batcher<Records>(2000, pool);
    const json = `{"v":"${'y'.repeat(600 * 1024)}"}`;
    for (let i = 0; i < 5; i += 1) batcher.add(records, records.add('/engage', json));
    const [batch] = batcher.drain();
    expect(body(batch!)).toBe(`[${Array.from({ length: 5 }, () => json).join(',')}]`);
    // The first 2 MiB went back to the pool when the body outgrew it; the grown memory follows.
    expect(batch!.memory.length).toBeGreaterThanOrEqual(batch!.json.length);
    pool.give(batch!.memory);
    expect(pool.take(3 * 1024 * 1024)).toBe(batch!.memory);
    expect(pool.take(10).length).toBe(2 * 1024 * 1024);
  });
});

describe('LineTally', () => {
  /** Three lines: line 0 has records 0–2, line 1 has record 3, line 2 has records 4–7. */
  const FIRST_RECORDS = [0, 3, 4, 8];
  const tally = (outcomes: Array<[number, string | null, boolean?]>) =>
    new LineTally(3, (line) => FIRST_RECORDS[line]!, (line, rejection) => outcomes.push(rejection === null ? [line, null] : [line, rejection.reason, rejection.unsent]));

  it('§7 a line is delivered only when all its records are; the first real rejection names it', () => {
    const outcomes: Array<[number, string | null, boolean?]> = [];
    const lines = tally(outcomes);
    lines.done(0, null);
    lines.done(2, { reason: 'Mixpanel rejected the record: bad', unsent: false });
    lines.done(3, null);
    expect(outcomes).toEqual([[1, null]]);
    lines.done(1, null);
    expect(outcomes).toEqual([[1, null], [0, 'Mixpanel rejected the record: bad', false]]);
  });

  it('§7 a rejection by Mixpanel wins over an earlier "not delivered" one, and the first of two by Mixpanel names the line', () => {
    const outcomes: Array<[number, string | null, boolean?]> = [];
    const lines = tally(outcomes);
    lines.done(7, { reason: 'not delivered: the run stopped', unsent: true });
    lines.done(4, { reason: 'Mixpanel rejected the record: first', unsent: false });
    lines.done(6, { reason: 'Mixpanel rejected the record: second', unsent: false });
    lines.done(5, null);
    expect(outcomes).toEqual([[2, 'Mixpanel rejected the record: first', false]]);
  });

  it('§7 a line whose only failure is "not delivered" keeps that reason (unsent)', () => {
    const outcomes: Array<[number, string | null, boolean?]> = [];
    const lines = tally(outcomes);
    lines.done(3, { reason: 'not delivered: the run stopped', unsent: true });
    expect(outcomes).toEqual([[1, 'not delivered: the run stopped', true]]);
  });

  it('a record settled twice (a defect) does not settle its line before its other records; its first outcome stands', () => {
    const outcomes: Array<[number, string | null, boolean?]> = [];
    const lines = tally(outcomes);
    lines.done(0, { reason: 'Mixpanel rejected the record: once', unsent: false });
    lines.done(0, null);
    lines.done(0, null);
    expect(outcomes).toEqual([]);
    lines.done(1, null);
    lines.done(2, null);
    expect(outcomes).toEqual([[0, 'Mixpanel rejected the record: once', false]]);
  });

  it('§7 the records of one line do not settle another', () => {
    const outcomes: Array<[number, string | null, boolean?]> = [];
    const lines = tally(outcomes);
    for (const record of [4, 5, 6, 0, 1]) lines.done(record, null);
    expect(outcomes).toEqual([]);
    lines.done(7, null);
    lines.done(2, null);
    expect(outcomes).toEqual([[2, null], [0, null]]);
  });
});

describe('AdaptivePace', () => {
  /** An unlimited pace whose first request went out at 0 and that met a 429 at 1 s after 20,000
   *  accepted: 20,000 over 1 s elapsed plus Mixpanel's initial second is 10,000/s; 90 % of it. */
  async function slowedAt10000PerSecond(): Promise<{ clock: ReturnType<typeof fakeClock>; pace: AdaptivePace }> {
    const clock = fakeClock();
    const pace = new AdaptivePace(null, clock);
    void pace.take(2_000);
    await clock.advance(1_000);
    pace.recordAccepted(20_000);
    pace.slowDown();
    expect(pace.perSecond).toBe(9_000);
    return { clock, pace };
  }

  it('§6 unlimited until a 429; then 90 % of what Mixpanel accepted over the time elapsed plus its bucket\'s first second', async () => {
    const clock = fakeClock();
    const pace = new AdaptivePace(null, clock);
    expect(pace.perSecond).toBeNull();
    await clock.advance(300);
    pace.recordAccepted(6_000);
    await clock.advance(200);
    pace.recordAccepted(6_000);
    pace.slowDown();
    // 12,000 accepted 0.2 s after the first acceptance: 12,000 / 1.2 s = 10,000/s; 90 % of it.
    expect(pace.perSecond).toBe(9_000);
  });

  it('§6 a run that was not sending all along shows the limit in its last burst: the span of the last 2 s that shows the most', async () => {
    const clock = fakeClock();
    const pace = new AdaptivePace(null, clock);
    void pace.take(900); // an alias batch, then the rest of the alias pass
    await clock.advance(5_000);
    pace.recordAccepted(2_000);
    await clock.advance(600);
    pace.recordAccepted(2_000);
    pace.recordAccepted(1_000);
    pace.slowDown();
    // Since the first request: 5,000 / 6.6 s = 758/s; after the reply at 5 s: 3,000 / 1.6 s = 1,875/s; 90 % of it.
    expect(pace.perSecond).toBe(1_688);
  });

  it('§6 after a 429 nothing goes out in a burst: the pace starts with no allowance in hand', async () => {
    const { clock, pace } = await slowedAt10000PerSecond();
    let sent = false;
    void Promise.resolve(pace.take(2_000)).then(() => (sent = true));
    // 2,000 records at 9,000/s: 222.2 ms.
    await clock.advance(222);
    expect(sent).toBe(false);
    await clock.advance(1);
    expect(sent).toBe(true);
  });

  it('a burst of 429s from requests already in flight lowers the pace once', () => {
    const clock = fakeClock();
    const pace = new AdaptivePace(null, clock);
    pace.recordAccepted(4_000);
    pace.slowDown();
    pace.slowDown();
    pace.slowDown();
    // 4,000 over 0 s elapsed plus the initial second; 90 % of it.
    expect(pace.perSecond).toBe(3_600);
  });

  it('until a second 429 measures the limit the pace searches upwards by 15 % per second, never above --rate', async () => {
    const clock = fakeClock();
    const pace = new AdaptivePace(2_500, clock);
    pace.recordAccepted(2_000);
    pace.slowDown();
    expect(pace.perSecond).toBe(1_800); // 90 % of 2,000 over 0 s elapsed plus the initial second
    await clock.advance(1_000);
    pace.recordAccepted(100);
    expect(pace.perSecond).toBeCloseTo(2_070, 5);
    for (let second = 0; second < 5; second += 1) {
      await clock.advance(1_000);
      pace.recordAccepted(100);
    }
    expect(pace.perSecond).toBe(2_500);
  });

  it('a second 429 measures the limit since the first: 95 % of it, back to 97 % for 10 s, then probing past it by 5 % per second', async () => {
    const { clock, pace } = await slowedAt10000PerSecond();
    await clock.advance(1_000);
    pace.recordAccepted(12_000);
    await clock.advance(1_000);
    pace.recordAccepted(12_000);
    expect(pace.perSecond).toBeCloseTo(11_902.5, 5); // 9,000 grown by 15 % twice
    pace.slowDown();
    // 24,000 accepted in the 2 s since the first 429 (Mixpanel's bucket empty at both): 12,000/s.
    expect(pace.perSecond).toBe(11_307); // 95 % of 11,902.5, the lower of the pace and the limit
    const seen: number[] = [];
    for (let second = 1; second <= 11; second += 1) {
      await clock.advance(1_000);
      pace.recordAccepted(100);
      seen.push(Math.round(pace.perSecond!));
    }
    expect(seen).toEqual([11_640, 11_640, 11_640, 11_640, 11_640, 11_640, 11_640, 11_640, 11_640, 12_222, 12_833]);
  });

  it('429s that are not about the rate do not spiral the pace below half of the best 2-s window', async () => {
    const { clock, pace } = await slowedAt10000PerSecond();
    await clock.advance(3_000);
    pace.recordAccepted(1_000);
    pace.slowDown();
    // 1,000 over the 3 s since the first 429 would say 333/s; the best window was 20,000 in 2 s.
    expect(pace.perSecond).toBe(5_000);
  });

  it('a 429 before anything was accepted gives no measure: the pace is left alone', () => {
    const pace = new AdaptivePace(null, fakeClock());
    pace.slowDown();
    expect(pace.perSecond).toBeNull();
  });
});
