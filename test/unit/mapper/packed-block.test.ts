/**
 * The packed form in which a block's records cross from a mapping worker to the sender: what is
 * unpacked must be exactly what was packed, line by line and record by record.
 */
import { describe, expect, it } from 'vitest';
import type { RoutedRecord } from '../../../src/mixpanel/types.js';
import { SentBlockBuilder } from '../../../src/mapper/packed-block.js';
import type { ProcessedLine } from '../../../src/mapper/protocol.js';
import { OutgoingBlock, packedString } from '../../../src/delivery/outgoing-block.js';

const record = (endpoint: RoutedRecord['endpoint'], json: string, extra: Partial<RoutedRecord> = {}): RoutedRecord => ({ endpoint, json, distinctId: null, aliasFor: null, idempotent: true, ...extra });

/** A line with records, and its text in the input. */
type LineWithText = ProcessedLine & { kind: 'records'; text: string };

const LINES: LineWithText[] = [
  {
    kind: 'records',
    ref: { file: 'day-1.ndjson', line: 3, messageId: 'msg-track-3' },
    type: 'track',
    records: [
      record('/import', '{"event":"Ordered","properties":{"distinct_id":"user-3","city":"Zürich €"}}', { distinctId: 'user-3' }),
      record('/engage', '{"$distinct_id":"user-3","$add":{"Ordered":1}}', { distinctId: 'user-3', idempotent: false }),
    ],
    warnings: ['reserved property name "length"'],
    text: '{"type":"track","line":3}',
    deviceMode: false,
  },
  {
    kind: 'records',
    ref: { file: 'day-1.ndjson', line: 7, messageId: null },
    type: 'alias',
    records: [record('/import', '{"event":"$create_alias","properties":{"alias":"user-new-7"}}', { distinctId: 'anon-7-ünïcode-😀', aliasFor: 'user-new-7' })],
    warnings: [],
    text: '{"type":"alias","line":7}',
    deviceMode: false,
  },
  {
    kind: 'records',
    ref: { file: 'day-1.ndjson', line: 8, messageId: 'msg-gröup-8-東京' },
    type: 'group',
    records: [record('/groups', '{"$group_key":"company","$group_id":"c-8","$set":{"name":"Ωmega"}}')],
    warnings: [],
    text: '{"type":"group","line":8}',
    deviceMode: true,
  },
];

/** What the sender reads back of a packed block, line by line, in the shape the lines were packed in. */
function readBack(block: OutgoingBlock): LineWithText[] {
  return Array.from({ length: block.lineCount }, (_, i) => {
    const records: RoutedRecord[] = [];
    for (let r = block.firstRecord(i); r < block.firstRecord(i + 1); r += 1) {
      const json = Buffer.alloc(block.byteLength(r));
      expect(block.copyRecord(r, json, 0)).toBe(json.length);
      records.push({ endpoint: block.endpoint(r), json: json.toString('utf8'), distinctId: block.distinctId(r), aliasFor: block.aliasFor(r), idempotent: block.idempotent(r) });
    }
    return { kind: 'records' as const, ref: block.ref(i), type: block.type(i), records, warnings: block.warnings(i), text: block.settle(i, true), deviceMode: block.deviceMode(i) };
  });
}

/**
 * LINES packed as mapBlock packs them: with keepText, each line's text is a range of the block's
 * input bytes, here with other lines (settled, not packed) between them.
 */
function pack(keepText: boolean): { builder: SentBlockBuilder; input: Uint8Array } {
  const builder = new SentBlockBuilder(16, keepText); // small on purpose: the buffer must grow
  let input = Buffer.alloc(0);
  for (const line of LINES) {
    const from = input.length + Buffer.byteLength('{"skipped":"Zürich"}\n');
    input = Buffer.concat([input, Buffer.from(`{"skipped":"Zürich"}\n${line.text}\n`)]);
    builder.add(line, from, input.length - 1);
  }
  return { builder, input };
}

describe('§6 records packed for the sender', () => {
  it.each([
    { name: 'with texts (--rejects)', keepText: true },
    { name: 'without texts', keepText: false },
  ])('$name: every line and record reads back as what was packed, bytes as UTF-8', ({ keepText }) => {
    const { builder, input } = pack(keepText);
    const { sent, transfer } = builder.take(input);
    const arrays = keepText ? 16 : 13;
    expect(transfer.length).toBe(arrays);
    expect(new Set(transfer).size).toBe(arrays);
    const block = new OutgoingBlock('day-1.ndjson', sent);
    expect(block.lineCount).toBe(LINES.length);
    expect(LINES.map((_, i) => block.lineNumber(i))).toEqual([3, 7, 8]);
    expect(readBack(block)).toEqual(LINES.map((line) => ({ ...line, text: keepText ? line.text : '' })));
  });

  it('copies a record into a body at the given offset, leaving the bytes around it alone', () => {
    const builder = new SentBlockBuilder(16, false);
    for (const line of LINES) builder.add(line);
    const block = new OutgoingBlock('day-1.ndjson', builder.take().sent);
    const body = Buffer.alloc(block.byteLength(3) + 2, '#');
    block.copyRecord(3, body, 1);
    expect(body.toString('utf8')).toBe(`#${LINES[2]!.records[0]!.json}#`);
  });
});

describe('§6 the memory of a packed block', () => {
  it('goes back for reuse once, when the last of its records is taken into a body, in whatever order', () => {
    const builder = new SentBlockBuilder(16, false);
    for (const line of LINES) builder.add(line);
    const { sent } = builder.take();
    const reused: Uint8Array[] = [];
    const block = new OutgoingBlock('day-1.ndjson', sent, (bytes) => reused.push(bytes));
    expect(block.firstRecord(block.lineCount)).toBe(4);
    const body = Buffer.alloc(1024);
    for (const record of [2, 0, 3]) block.takeRecord(record, body, 0);
    expect(reused).toEqual([]);
    block.takeRecord(1, body, 0);
    expect(body.subarray(0, block.byteLength(1)).toString('utf8')).toBe(LINES[0]!.records[1]!.json);
    expect(reused).toHaveLength(1);
    expect(reused[0]).toBe(sent.bytes);
  });
});

describe('§6 the texts kept for --rejects', () => {
  it('go back for reuse once, when the last line of the block settles, in whatever order', () => {
    const { builder, input } = pack(true);
    const { sent } = builder.take(input);
    const reused: Uint8Array[] = [];
    const block = new OutgoingBlock('day-1.ndjson', sent, (bytes) => reused.push(bytes));
    expect([2, 0].map((i) => block.settle(i, true))).toEqual([LINES[2]!.text, LINES[0]!.text]);
    expect(reused).toEqual([]);
    expect(block.settle(1, false)).toBe('');
    expect(reused).toHaveLength(1);
    expect(reused[0]).toBe(input);
  });

  it('a line settled twice (a defect) does not give them back while another line still needs its text', () => {
    const { builder, input } = pack(true);
    const { sent } = builder.take(input);
    const reused: Uint8Array[] = [];
    const block = new OutgoingBlock('day-1.ndjson', sent, (bytes) => reused.push(bytes));
    expect([0, 0, 2].map((i) => block.settle(i, true))).toEqual([LINES[0]!.text, '', LINES[2]!.text]);
    expect(reused).toEqual([]);
    expect(block.settle(1, true)).toBe(LINES[1]!.text);
    expect(reused).toEqual([input]);
  });

  it('are the block\'s input bytes, sent back with the block rather than copied or made strings', () => {
    const { builder, input } = pack(true);
    const { sent, transfer } = builder.take(input);
    expect(sent.texts!.bytes).toBe(input);
    expect(transfer).toContain(input.buffer);
  });

  it('are copied out when they are under half the block (the alias pass keeps a few lines): the block\'s input is not held for them', () => {
    const { builder, input } = pack(true);
    const padded = Buffer.concat([input, Buffer.alloc(input.length, 0x20)]);
    const { sent, transfer } = builder.take(padded);
    const block = new OutgoingBlock('day-1.ndjson', sent);
    expect(sent.texts!.bytes.buffer).not.toBe(padded.buffer);
    expect(transfer).not.toContain(padded.buffer);
    expect(sent.texts!.bytes.length).toBe(Buffer.byteLength(LINES.map((line) => line.text).join('')));
    expect(LINES.map((_, i) => block.settle(i, true))).toEqual(LINES.map((line) => line.text));
  });
});

describe('§6 packed strings', () => {
  it.each([
    ['strings and nulls in any order, empty strings, non-ASCII', ['msg-1', null, '', 'Zürich-東京-😀', null, 'last']],
    ['a null first', [null, 'after-null']],
    ['only nulls', [null, null]],
    ['none', []],
  ] as const)('%s read back as written', (_name, values) => {
    const builder = new SentBlockBuilder(16, false);
    values.forEach((messageId, i) => builder.add({ kind: 'records', ref: { file: 'f', line: i + 1, messageId }, type: 'track', records: [], warnings: [], deviceMode: false }));
    const { sent } = builder.take();
    expect(values.map((_, i) => packedString(sent.messageIds, i))).toEqual(values);
  });
});
