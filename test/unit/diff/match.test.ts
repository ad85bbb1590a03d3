/** The in-memory matching and the read order (pure parts of `diff`). */
import { describe, expect, it } from 'vitest';
import { LockstepOrder, Matcher } from '../../../src/diff/match.js';
import type { Entry } from '../../../src/diff/types.js';

function entry(key: string, file = 'a.ndjson', line = 1): Entry {
  return { key, endpoint: '/import', messageId: key, index: 0, name: 'E', file, line, text: `{"k":"${key}"}` };
}

describe('Matcher', () => {
  it('a record is paired with the pending record of the same key from the other side', () => {
    const matcher = new Matcher();
    const before = entry('k1');
    expect(matcher.offer('before', before)).toBeNull();
    expect(matcher.offer('after', entry('k1'))).toBe(before);
    expect(matcher.size).toBe(0);
  });

  it('records of the same side never pair with each other', () => {
    const matcher = new Matcher();
    matcher.offer('before', entry('k1'));
    expect(matcher.offer('before', entry('k1'))).toBeNull();
    expect(matcher.size).toBe(2);
  });

  it('duplicated keys pair first-in, first-out', () => {
    const matcher = new Matcher();
    const first = { ...entry('dup'), line: 1 };
    const second = { ...entry('dup'), line: 2 };
    matcher.offer('before', first);
    matcher.offer('before', second);
    expect(matcher.offer('after', entry('dup'))).toBe(first);
    expect(matcher.offer('after', entry('dup'))).toBe(second);
  });

  it('goes over its limit past maxEntries and evicts the oldest half of each side', () => {
    const matcher = new Matcher({ maxEntries: 3, maxChars: Infinity });
    for (const key of ['b1', 'b2', 'b3']) matcher.offer('before', entry(key));
    expect(matcher.overLimit).toBe(false);
    matcher.offer('after', entry('a1'));
    expect(matcher.overLimit).toBe(true);
    const evicted = matcher.evictOldest();
    expect(evicted.before.map((e) => e.key)).toEqual(['b1', 'b2']);
    expect(evicted.after.map((e) => e.key)).toEqual(['a1']);
    expect(matcher.drain().before.map((e) => e.key)).toEqual(['b3']);
    expect(matcher.size).toBe(0);
  });

  it('goes over its limit past maxChars of pending text', () => {
    const matcher = new Matcher({ maxEntries: Infinity, maxChars: 15 });
    matcher.offer('before', entry('k1'));
    expect(matcher.overLimit).toBe(false);
    matcher.offer('before', entry('k2'));
    expect(matcher.overLimit).toBe(true);
  });
});

describe('LockstepOrder', () => {
  type Case = { name: string; before: Entry | null; after: Entry | null; expected: 'before' | 'after' | null };
  const cases: Case[] = [
    { name: 'both files done: nothing to read', before: null, after: null, expected: null },
    { name: 'one file done: read the other', before: null, after: entry('x'), expected: 'after' },
    { name: 'same file: read the earlier line', before: entry('x', 'a', 9), after: entry('y', 'a', 3), expected: 'after' },
    { name: 'same position: read before first', before: entry('x', 'a', 3), after: entry('y', 'a', 3), expected: 'before' },
  ];
  it.each(cases)('$name', ({ before, after, expected }) => {
    expect(new LockstepOrder().pick(before, after)).toBe(expected);
  });

  it('files rank in order of first appearance, whatever their names', () => {
    const order = new LockstepOrder();
    expect(order.pick(entry('x', 'z-first', 50), entry('y', 'a-second', 1))).toBe('before');
    expect(order.pick(entry('x', 'a-second', 2), entry('y', 'z-first', 60))).toBe('after');
  });
});
