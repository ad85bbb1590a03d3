/**
 * The packed form in which a block's records cross from a mapping worker to the sender: what is
 * unpacked must be exactly what was packed, line by line and record by record.
 */
import { describe, expect, it } from 'vitest';
import type { RoutedRecord } from '../../src/mixpanel/types.js';
import type { ProcessedLine } from '../../src/pipeline/process-line.js';
import { SentBlockBuilder, unpackSentBlock } from '../../src/pipeline/wire-records.js';

const record = (endpoint: RoutedRecord['endpoint'], json: string, extra: Partial<RoutedRecord> = {}): RoutedRecord => ({ endpoint, json, distinctId: null, aliasFor: null, idempotent: true, ...extra });

const LINES: Array<ProcessedLine & { kind: 'records' }> = [
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
  },
  {
    kind: 'records',
    ref: { file: 'day-1.ndjson', line: 7, messageId: null },
    type: 'alias',
    records: [record('/import', '{"event":"$create_alias","properties":{"alias":"user-new-7"}}', { distinctId: 'anon-7', aliasFor: 'user-new-7' })],
    warnings: [],
    text: '{"type":"alias","line":7}',
  },
  {
    kind: 'records',
    ref: { file: 'day-1.ndjson', line: 8, messageId: 'msg-group-8' },
    type: 'group',
    records: [record('/groups', '{"$group_key":"company","$group_id":"c-8","$set":{"name":"Ωmega"}}')],
    warnings: [],
    text: '{"type":"group","line":8}',
  },
];

describe('§6 records packed for the sender', () => {
  it.each([
    { name: 'with texts (--rejects)', keepText: true },
    { name: 'without texts', keepText: false },
  ])('$name: every line and record unpacks to what was packed, bytes as UTF-8', ({ keepText }) => {
    const builder = new SentBlockBuilder(16, keepText); // small on purpose: the buffer must grow
    for (const line of LINES) builder.add(line);
    const { sent, transfer } = builder.take();
    expect(transfer.length).toBe(7);
    const unpacked = unpackSentBlock('day-1.ndjson', sent);
    expect(
      unpacked.map((line) => ({
        ...line,
        records: line.records.map(({ bytes, ...rest }) => ({ ...rest, json: Buffer.from(bytes).toString('utf8') })),
      })),
    ).toEqual(LINES.map((line) => ({ ...line, text: keepText ? line.text : '' })));
  });
});
