/** The dedupe window (README "Options"): 64-bit keys of the most recent n messages. */
import { describe, expect, it } from 'vitest';
import { DedupeWindow } from '../../../src/run/dedupe-window.js';
import { hash64 } from '../../../src/lib/hash64.js';

const key = (text: string): [number, number] => {
  const { hi, lo } = hash64(0, text);
  return [hi, lo];
};

describe('DedupeWindow', () => {
  it('a key seen before is a duplicate; a new key is not', () => {
    const window = new DedupeWindow(10);
    expect(window.seen(...key('track\u0000m-1'))).toBe(false);
    expect(window.seen(...key('track\u0000m-2'))).toBe(false);
    expect(window.seen(...key('track\u0000m-1'))).toBe(true);
    expect(window.size).toBe(2);
  });

  it('keeps only the most recent `window` keys: the oldest is forgotten first', () => {
    const window = new DedupeWindow(3);
    for (const id of ['a', 'b', 'c', 'd']) expect(window.seen(...key(id))).toBe(false);
    expect(window.size).toBe(3);
    // 'a' was forgotten when 'd' came; seeing it again adds it and forgets 'b'.
    expect(window.seen(...key('a'))).toBe(false);
    expect(window.seen(...key('c'))).toBe(true);
    expect(window.seen(...key('d'))).toBe(true);
    expect(window.seen(...key('b'))).toBe(false);
  });

  it('a duplicate does not count as a new message for the window', () => {
    const window = new DedupeWindow(2);
    window.seen(...key('x'));
    window.seen(...key('y'));
    for (let i = 0; i < 5; i += 1) expect(window.seen(...key('y'))).toBe(true);
    expect(window.seen(...key('x'))).toBe(true);
  });

  it.each([
    { window: 1, keys: 50 },
    { window: 17, keys: 1_000 },
    { window: 1_000, keys: 20_000 },
    { window: 40_000, keys: 100_000 },
  ])('window $window over $keys keys: exactly the last $window are found after any number of evictions', ({ window: size, keys }) => {
    const window = new DedupeWindow(size, 4);
    let duplicates = 0;
    for (let i = 0; i < keys; i += 1) if (window.seen(...key(`id-${i}`))) duplicates += 1;
    expect(duplicates).toBe(0);
    expect(window.size).toBe(size);
    // Checking from the newest down: a found key changes nothing, and the older ones were forgotten.
    let heldFound = 0;
    for (let i = keys - 1; i >= keys - size; i -= 1) if (window.seen(...key(`id-${i}`))) heldFound += 1;
    expect(heldFound).toBe(size);
    let forgottenFound = 0;
    for (let i = keys - size - 1; i >= Math.max(0, keys - size - 200); i -= 1) if (window.seen(...key(`id-${i}`))) forgottenFound += 1;
    expect(forgottenFound).toBe(0);
  });

  it('keys whose low halves collide in the table are told apart by their high halves', () => {
    const window = new DedupeWindow(100);
    const first = Array.from({ length: 40 }, (_, i) => window.seen(i + 1, 7));
    const again = Array.from({ length: 40 }, (_, i) => window.seen(i + 1, 7));
    expect(first.every((found) => !found)).toBe(true);
    expect(again.every((found) => found)).toBe(true);
    expect(window.seen(41, 7)).toBe(false);
    // Forgetting from the middle of a probe run keeps the rest of it findable.
    const small = new DedupeWindow(5);
    for (let hi = 1; hi <= 12; hi += 1) small.seen(hi, 3);
    expect([8, 9, 10, 11, 12].map((hi) => small.seen(hi, 3))).toEqual([true, true, true, true, true]);
    expect(small.seen(7, 3)).toBe(false);
  });

  it('memory grows with the keys held, up to about 14.4 bytes per key of the window', () => {
    const window = new DedupeWindow(1_000_000);
    const before = window.bytes;
    for (let i = 0; i < 1_000_000; i += 1) window.seen(i, Math.imul(i, 0x9e3779b1));
    expect(before).toBeLessThan(300_000);
    // 1,000,000 keys: a ring of 8,000,000 bytes and a table of 2^21 slots of 4 bytes.
    expect(window.bytes).toBe(8_000_000 + 4 * 2 ** 21);
  });

  it.each([0, -1, 1.5])('a window of %s is refused (0 means no window at all: the caller makes none)', (size) => {
    expect(() => new DedupeWindow(size)).toThrow(RangeError);
  });
});

describe('hash64', () => {
  it('is deterministic and differs for type and messageId', () => {
    expect(hash64(0, 'abc')).toEqual(hash64(0, 'abc'));
    expect(hash64(0, 'abc')).not.toEqual(hash64(1, 'abc'));
    expect(hash64(0, '')).not.toEqual(hash64(0, '\u0000'));
    expect(hash64(0, 'ab')).not.toEqual(hash64(0, 'ba'));
  });

  it('no two of 1,000,000 similar ids share a 64-bit key, and each half alone collides about as often as chance says', () => {
    const count = 1_000_000;
    const full = new BigUint64Array(count);
    const low = new Uint32Array(count);
    for (let i = 0; i < count; i += 1) {
      const { hi, lo } = hash64(0, `${i.toString(16).padStart(8, '0')}-7c1e-4b2a-9d3f-000000000000`);
      full[i] = (BigInt(hi) << 32n) | BigInt(lo);
      low[i] = lo;
    }
    const repeats = (sorted: { length: number; [i: number]: bigint | number }): number => {
      let n = 0;
      for (let i = 1; i < sorted.length; i += 1) if (sorted[i] === sorted[i - 1]) n += 1;
      return n;
    };
    expect(repeats(full.sort())).toBe(0);
    // Random 32-bit values: about n²/2³³ ≈ 116 collisions among 1,000,000.
    const lowRepeats = repeats(low.sort());
    expect(lowRepeats).toBeGreaterThan(40);
    expect(lowRepeats).toBeLessThan(250);
  });

  it('the low bits that pick a table slot spread sequential ids evenly', () => {
    const buckets = new Array<number>(1024).fill(0);
    for (let i = 0; i < 102_400; i += 1) buckets[hash64(3, String(i)).lo & 1023]! += 1;
    expect(Math.min(...buckets)).toBeGreaterThan(50);
    expect(Math.max(...buckets)).toBeLessThan(160);
  });
});
