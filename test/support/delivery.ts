/** Packed blocks and scripted Mixpanel clients for the sender's unit tests. */
import { gunzipSync } from 'node:zlib';
import type { Reply } from '../../src/mixpanel/classify.js';
import type { MixpanelClient } from '../../src/mixpanel/client.js';
import type { Endpoint, RoutedRecord } from '../../src/mixpanel/types.js';
import { SentBlockBuilder } from '../../src/mapper/packed-block.js';
import { OutgoingBlock } from '../../src/delivery/outgoing-block.js';

/** A block of `count` lines of one /import event each, `{"n":i}`, on lines 1…count. */
export function importBlock(count: number, idempotent = true): OutgoingBlock {
  const builder = new SentBlockBuilder(16, false);
  for (let i = 0; i < count; i += 1) {
    const record: RoutedRecord = { endpoint: '/import', json: `{"n":${i}}`, distinctId: `user-${i}`, aliasFor: null, idempotent };
    builder.add({ kind: 'records', ref: { file: 'day.ndjson', line: i + 1, messageId: `m-${i}` }, type: 'track', records: [record], warnings: [], deviceMode: false });
  }
  return new OutgoingBlock('day.ndjson', builder.take().sent);
}

/**
 * A block of `count` lines, each an /import event `{"n":i}`, an /engage `$add` `{"add":i}` and an
 * /engage `$set` `{"set":i}` (the `$add` not idempotent), on lines 1…count.
 */
export function peopleBlock(count: number): OutgoingBlock {
  const builder = new SentBlockBuilder(16, false);
  for (let i = 0; i < count; i += 1) {
    const records: RoutedRecord[] = [
      { endpoint: '/import', json: `{"n":${i}}`, distinctId: `user-${i}`, aliasFor: null, idempotent: true },
      { endpoint: '/engage', json: `{"add":${i}}`, distinctId: `user-${i}`, aliasFor: null, idempotent: false },
      { endpoint: '/engage', json: `{"set":${i}}`, distinctId: `user-${i}`, aliasFor: null, idempotent: true },
    ];
    builder.add({ kind: 'records', ref: { file: 'day.ndjson', line: i + 1, messageId: `m-${i}` }, type: 'track', records, warnings: [], deviceMode: false });
  }
  return new OutgoingBlock('day.ndjson', builder.take().sent);
}

/** A client that records each request's records and answers with `reply(records)`. */
export function fakeClient(reply: (records: unknown[]) => Reply): MixpanelClient & { requests: unknown[][]; endpoints: Endpoint[] } {
  const requests: unknown[][] = [];
  const endpoints: Endpoint[] = [];
  return {
    requests,
    endpoints,
    async post(endpoint: Endpoint, body, gzip) {
      const records = JSON.parse((gzip ? gunzipSync(body) : body).toString('utf8')) as unknown[];
      requests.push(records);
      endpoints.push(endpoint);
      return reply(records);
    },
    async close() {},
  };
}
