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

/** A client that records each request's records and answers with `reply(records)`. */
export function fakeClient(reply: (records: unknown[]) => Reply): MixpanelClient & { requests: unknown[][] } {
  const requests: unknown[][] = [];
  return {
    requests,
    async post(_endpoint: Endpoint, body, gzip) {
      const records = JSON.parse((gzip ? gunzipSync(body) : body).toString('utf8')) as unknown[];
      requests.push(records);
      return reply(records);
    },
    async close() {},
  };
}
