/** SPEC §4.7: alias → `$create_alias` (original mode only). */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { ANONYMOUS_ID, HASHED_INSERT_ID, TIME_MS, TOKEN, USER_ID, baseAlias, expectRejected, expectSkipped, mapEvent, mapRecords, options, without } from '../../support/mapping.js';

describe('§4.7 alias in original mode', () => {
  it('§4.7 alias is a $create_alias /import event {distinct_id: previousId, alias: userId, token, time, $insert_id}', () => {
    expect(mapRecords(baseAlias())).toEqual([
      {
        endpoint: '/import',
        record: {
          event: '$create_alias',
          properties: { distinct_id: ANONYMOUS_ID, alias: USER_ID, token: TOKEN, time: TIME_MS, $insert_id: 'msg-alias-0001' },
        },
      },
    ]);
  });

  it('§4.7 the properties are exactly those five: context, properties and traits are not added', () => {
    const raw = baseAlias({
      context: { ip: '203.0.113.9', library: { name: 'lib-analytics-js' }, os: { name: 'os-name-ios' }, traits: { plan: 'plan-gold' } },
      properties: { extra: 'extra-value' },
    });
    expect(mapEvent(raw, options({ people: true, sourceName: 'source-web' })).properties).toEqual({
      distinct_id: ANONYMOUS_ID,
      alias: USER_ID,
      token: TOKEN,
      time: TIME_MS,
      $insert_id: 'msg-alias-0001',
    });
  });

  it('§4.0 an alias with an invalid messageId gets a hashed $insert_id', () => {
    const id = mapEvent(baseAlias({ messageId: 'ajs-next-1234:abc' })).properties.$insert_id;
    expect(id).toMatch(HASHED_INSERT_ID);
  });

  it('§4.8 numeric previousId and userId are sent as strings', () => {
    expect(mapEvent(baseAlias({ previousId: 1234, userId: 5678 })).properties).toEqual({
      distinct_id: '1234',
      alias: '5678',
      token: TOKEN,
      time: TIME_MS,
      $insert_id: 'msg-alias-0001',
    });
  });

  it.each<[string, JsonObject, RegExp]>([
    ['a missing previousId', without(baseAlias(), 'previousId'), /previousId/],
    ['a null previousId', baseAlias({ previousId: null }), /previousId/],
    ['a placeholder previousId', baseAlias({ previousId: 'undefined' }), /previousId/],
    ['a missing userId', without(baseAlias(), 'userId'), /userId/],
    ['a placeholder userId', baseAlias({ userId: 'null' }), /userId/],
    ['previousId equal to userId', baseAlias({ previousId: USER_ID }), /userId|previousId|equal|both/],
  ])('§4.7 an alias with %s is rejected', (_name, raw, reason) => {
    expectRejected(mapMessage(raw, options()), reason);
  });

  it('§4.7 the anonymousId of an alias is not its previousId', () => {
    expectRejected(mapMessage(without(baseAlias({ anonymousId: ANONYMOUS_ID }), 'previousId'), options()), /previousId/);
  });
});

describe('§4.7 / §5 alias in simplified mode', () => {
  it('§4.7 alias is skipped ("alias has no effect with simplified ID merge")', () => {
    expectSkipped(mapMessage(baseAlias(), options({}, 'simplified')), 'alias has no effect with simplified ID merge');
  });

  it('§5 even an invalid alias is skipped, not rejected, in simplified mode', () => {
    expectSkipped(mapMessage(without(baseAlias(), 'previousId'), options({}, 'simplified')), 'alias has no effect with simplified ID merge');
  });
});
