/** Leaving duplicates out of a block (README "Options", --dedupe-window), and device mode detection. */
import { describe, expect, it } from 'vitest';
import { findDuplicates, withoutDuplicates } from '../../../src/run/duplicates.js';
import { DedupeWindow } from '../../../src/run/dedupe-window.js';
import { LINE_FLAGS } from '../../../src/lib/line-flags.js';
import { sentByDeviceMode } from '../../../src/segment/device-mode.js';
import { SentBlockBuilder } from '../../../src/mapper/packed-block.js';
import { OutgoingBlock } from '../../../src/delivery/outgoing-block.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Output of lines as one buffer and where each line's part ends. */
function output(parts: readonly string[]): { bytes: Uint8Array; ends: Int32Array } {
  const ends: number[] = [];
  let length = 0;
  for (const part of parts) ends.push((length += encoder.encode(part).length));
  return { bytes: encoder.encode(parts.join('')), ends: Int32Array.from(ends) };
}

describe('withoutDuplicates', () => {
  it.each([
    { name: 'the first line', drop: [0], kept: 'b1\nc1\nc2\n' },
    { name: 'a middle line', drop: [1], kept: 'a1\na2\nc1\nc2\n' },
    { name: 'the last line', drop: [2], kept: 'a1\na2\nb1\n' },
    { name: 'all lines', drop: [0, 1, 2], kept: '' },
    { name: 'none', drop: [], kept: 'a1\na2\nb1\nc1\nc2\n' },
  ])('dropping $name keeps the other lines\' output in order', ({ drop, kept }) => {
    const { bytes, ends } = output(['a1\na2\n', 'b1\n', 'c1\nc2\n']);
    const duplicates = new Uint8Array(3);
    for (const i of drop) duplicates[i] = 1;
    expect(decoder.decode(withoutDuplicates(bytes, ends, duplicates))).toBe(kept);
  });

  it('multi-byte output moves whole', () => {
    const { bytes, ends } = output(['Zürich\n', '東京\n', '😀\n']);
    expect(decoder.decode(withoutDuplicates(bytes, ends, Uint8Array.of(0, 1, 0)))).toBe('Zürich\n😀\n');
  });
});

describe('findDuplicates', () => {
  it('marks only keyed lines whose key was seen, in block order and across blocks; null when none', () => {
    const window = new DedupeWindow(100);
    const keyed = LINE_FLAGS.keyed;
    const first = { flags: Uint8Array.of(keyed, keyed | LINE_FLAGS.deviceMode, 0, keyed), keys: Uint32Array.of(1, 10, 2, 20, 0, 0, 1, 10) };
    expect(findDuplicates(first, window)).toEqual(Uint8Array.of(0, 0, 0, 1));
    const second = { flags: Uint8Array.of(0, keyed), keys: Uint32Array.of(1, 10, 3, 30) };
    expect(findDuplicates(second, window)).toBeNull();
    const third = { flags: Uint8Array.of(keyed), keys: Uint32Array.of(2, 20) };
    expect(findDuplicates(third, window)).toEqual(Uint8Array.of(1));
  });

  it('a dropped line of an outgoing block counts as taken: the block\'s bytes are reused once the rest are', () => {
    const builder = new SentBlockBuilder(16, false);
    for (let i = 0; i < 3; i += 1) {
      builder.add({ kind: 'records', ref: { file: 'f', line: i + 1, messageId: `m-${i}` }, type: 'track', records: [{ endpoint: '/import', json: `{"n":${i}}`, distinctId: null, aliasFor: null, idempotent: true }], warnings: [], deviceMode: i === 2 });
    }
    const reused: Uint8Array[] = [];
    const block = new OutgoingBlock('f', builder.take().sent, (bytes) => reused.push(bytes));
    expect([0, 1, 2].map((i) => [block.keyed(i), block.deviceMode(i)])).toEqual([[true, false], [true, false], [true, true]]);
    block.drop(1);
    block.takeRecord(0, new Uint8Array(16), 0);
    expect(reused).toEqual([]);
    block.takeRecord(2, new Uint8Array(16), 0);
    expect(reused.length).toBe(1);
  });
});

describe('sentByDeviceMode: _metadata.bundled lists Mixpanel', () => {
  it.each([
    { metadata: { bundled: ['Mixpanel'] }, sent: true },
    { metadata: { bundled: ['Segment.io', 'mixpanel'] }, sent: true },
    { metadata: { bundled: ['MIXPANEL'], unbundled: [] }, sent: true },
    { metadata: { bundled: ['Mixpanel (Actions)'] }, sent: false },
    { metadata: { bundled: [], unbundled: ['Mixpanel'] }, sent: false },
    { metadata: { bundled: 'Mixpanel' }, sent: false },
    { metadata: { bundled: [{ name: 'Mixpanel' }] }, sent: false },
    { metadata: ['Mixpanel'], sent: false },
    { metadata: undefined, sent: false },
  ])('$metadata → $sent', ({ metadata, sent }) => {
    expect(sentByDeviceMode({ type: 'track', ...(metadata !== undefined && { _metadata: metadata }) } as never)).toBe(sent);
  });
});
