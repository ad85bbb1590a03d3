/**
 * SPEC §10: the Actions preset's default subscriptions, call by call (reference
 * segment-actions.md §2–§3). Behaviour visible in segmentio/action-destinations
 * packages/destination-actions/src/destinations/mixpanel/{trackPurchase,identifyUser,groupIdentifyUser}/index.ts
 * and trackPurchase/__tests__/index.test.ts (the Product Purchased fields, times and ids).
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../src/lib/json.js';
import { mapMessage } from '../../../../src/mapping/index.js';
import {
  ANONYMOUS_ID, TIME_MS, TOKEN, USER_ID, actionsOptions, baseAlias, baseGroup, baseIdentify, basePage, baseTrack, expectRejected, expectSkipped, mapRecords, without,
} from '../../../support/mapping.js';

type Event = { event: string; properties: JsonObject };
const events = (raw: JsonObject, opts = actionsOptions()): Event[] => mapRecords(raw, opts).map((r) => r.record as unknown as Event);

describe('§10 page and screen → "Viewed {name}"', () => {
  /** [type, name, expected event]. */
  const NAMES: Array<['page' | 'screen', JsonObject, string]> = [
    ['page', { name: 'Pricing-page' }, 'Viewed Pricing-page'],
    ['screen', { name: 'Checkout-screen' }, 'Viewed Checkout-screen'],
    ['page', {}, 'Viewed '],
    ['screen', { name: '' }, 'Viewed '],
    ['page', { name: null }, 'Viewed '],
    ['page', { name: 404 }, 'Viewed 404'],
  ];
  it.each(NAMES)('§10 a %s with %j is the event %j (trailing space without a name)', (type, fields, event) => {
    expect(events(basePage(type, fields)).map((e) => e.event)).toEqual([event]);
  });

  it('§10 category is not used and name/category are not added as properties; event_original_name is the name', () => {
    const [page] = events(basePage('page', { name: 'Docs-home', category: 'Docs-cat' }));
    expect(page!.event).toBe('Viewed Docs-home');
    expect(page!.properties).not.toHaveProperty('category');
    expect(page!.properties).not.toHaveProperty('name');
    expect(page!.properties.event_original_name).toBe('Docs-home');
  });
});

describe('§10 Order Completed → the order plus one Product Purchased per product', () => {
  const products: JsonObject[] = [
    { product_id: 'prd-a', sku: 'SKU-A', name: 'Tent', price: 199, quantity: 1, custom_field: 'dropped-a' },
    { product_id: 'prd-b', sku: 'SKU-B', category: 'Camping', price: 25, coupon: 'PRODUCT-10' },
  ];
  const order = baseTrack({ event: 'Order Completed', messageId: 'order-msg-7', properties: { order_id: 'ord-77', total: 224, revenue: 220, coupon: 'ORDER-5', currency: 'EUR', plan: 'pro', products } });

  it('§10 one event per product after the order, in product order', () => {
    expect(events(order).map((e) => e.event)).toEqual(['Order Completed', 'Product Purchased', 'Product Purchased']);
  });

  it('§10 the order keeps all its properties, products included', () => {
    const [orderEvent] = events(order);
    expect(orderEvent!.properties).toMatchObject({ order_id: 'ord-77', total: 224, revenue: 220, coupon: 'ORDER-5', currency: 'EUR', products });
  });

  it('§10 a product event: order properties without the order-only ones, then the twelve product fields (others dropped)', () => {
    const [, first, second] = events(order);
    expect(first!.properties).toMatchObject({ order_id: 'ord-77', plan: 'pro', product_id: 'prd-a', sku: 'SKU-A', name: 'Tent', price: 199, quantity: 1 });
    for (const key of ['total', 'revenue', 'currency', 'products', 'custom_field', 'coupon']) expect(first!.properties, key).not.toHaveProperty(key);
    expect(second!.properties).toMatchObject({ product_id: 'prd-b', category: 'Camping', coupon: 'PRODUCT-10' });
    expect(second!.properties.event_original_name).toBe('Order Completed');
  });

  it('§10 product i has time = order time − (i+1) ms and $insert_id = i followed by the order\'s', () => {
    const [orderEvent, first, second] = events(order);
    expect([orderEvent!.properties.time, first!.properties.time, second!.properties.time]).toEqual([TIME_MS, TIME_MS - 1, TIME_MS - 2]);
    expect([orderEvent!.properties.$insert_id, first!.properties.$insert_id, second!.properties.$insert_id]).toEqual(['order-msg-7', '0order-msg-7', '1order-msg-7']);
  });

  it('§10 generatePurchaseEventPerProduct: false sends the order only', () => {
    expect(events(order, actionsOptions({ generatePurchaseEventPerProduct: false })).map((e) => e.event)).toEqual(['Order Completed']);
  });

  it('§10 only the exact name "Order Completed" fans out; no $transactions charge or increments', () => {
    const records = mapRecords(baseTrack({ event: 'order completed', properties: { products, revenue: 12 } }), actionsOptions({ people: true, eventIncrements: ['order completed'] }));
    expect(records.map((r) => [r.endpoint, (r.record as unknown as Event).event])).toEqual([['/import', 'order completed']]);
  });
});

describe('§10 identify → $identify event and /engage $set', () => {
  const traits = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', createdAt: '2025-02-03T04:05:06.000Z', username: 'ada_l', phone: '+44 20 7946 0000', plan: 'gold', avatar: 'https://img.example/a.png' };

  it('§10 with anonymousId and userId: a $identify /import event, then the $set', () => {
    const records = mapRecords(baseIdentify({ anonymousId: ANONYMOUS_ID, traits }), actionsOptions({ sourceName: 'src-ident' }));
    expect(records.map((r) => r.endpoint)).toEqual(['/import', '/engage']);
    expect(records[0]!.record).toEqual({
      event: '$identify',
      properties: { time: TIME_MS, distinct_id: USER_ID, $identified_id: USER_ID, $anon_id: ANONYMOUS_ID, token: TOKEN, $insert_id: 'msg-identify-0001', ip: '0', segment_source_name: 'src-ident' },
    });
  });

  it('§10 the $set: traits without the special ones, then the 7 special traits under Mixpanel names (no avatar, no device context)', () => {
    const records = mapRecords(baseIdentify({ traits, context: { os: { name: 'iOS' } } }), actionsOptions());
    expect(records).toEqual([
      {
        endpoint: '/engage',
        record: {
          $token: TOKEN, $distinct_id: USER_ID, $time: TIME_MS, $ip: '0',
          $set: { plan: 'gold', avatar: 'https://img.example/a.png', $created: '2025-02-03T04:05:06.000Z', $email: 'ada@example.com', $first_name: 'Ada', $last_name: 'Lovelace', $name: 'Ada Lovelace', $username: 'ada_l', $phone: '+44 20 7946 0000' },
        },
      },
    ]);
  });

  /** [rule, traits, expected $name / $created]. */
  const NAMES: Array<[string, JsonObject, JsonObject]> = [
    ['name wins over first and last', { name: 'Grace H', firstName: 'Grace', lastName: 'Hopper' }, { $name: 'Grace H' }],
    ['no $name with only firstName', { firstName: 'Alan' }, {}],
    ['$created from created first', { created: '2021-01-01', createdAt: '2022-02-02', created_at: '2023-03-03' }, { $created: '2021-01-01' }],
    ['$created from created_at last', { created_at: '2024-04-04' }, { $created: '2024-04-04' }],
  ];
  it.each(NAMES)('§10 %s', (_rule, given, expected) => {
    const [update] = mapRecords(baseIdentify({ traits: given }), actionsOptions());
    const $set = (update!.record as unknown as { $set: JsonObject }).$set;
    expect({ $name: $set.$name, $created: $set.$created }).toEqual({ $name: undefined, $created: undefined, ...expected });
  });

  it('§10 identify without traits and with both ids sends the $identify only; without anonymousId nothing is sent (skipped)', () => {
    expect(mapRecords(baseIdentify({ anonymousId: ANONYMOUS_ID }), actionsOptions()).map((r) => r.endpoint)).toEqual(['/import']);
    expectSkipped(mapMessage(baseIdentify(), actionsOptions()), 'identify without traits');
  });

  it('§10 an anonymous identify updates the anonymous profile and sends no $identify', () => {
    const records = mapRecords(baseIdentify({ userId: null, anonymousId: ANONYMOUS_ID, traits: { plan: 'trial' } }), actionsOptions());
    expect(records.map((r) => [r.endpoint, (r.record as unknown as { $distinct_id: string }).$distinct_id])).toEqual([['/engage', ANONYMOUS_ID]]);
  });

  it('§10 identify does not need "Use Mixpanel People" (people: false is the default)', () => {
    expect(mapRecords(baseIdentify({ traits: { plan: 'basic' } }), actionsOptions({ people: false }))).toHaveLength(1);
  });
});

describe('§10 group → /groups $set under group_key or $group_id', () => {
  it('§10 default key $group_id, id from groupId; created/name renamed; no user profile update', () => {
    const records = mapRecords(baseGroup({ traits: { name: 'Acme Corp', createdAt: '2020-05-06', employees: 120 } }), actionsOptions({ people: true }));
    expect(records).toEqual([
      { endpoint: '/groups', record: { $token: TOKEN, $group_key: '$group_id', $group_id: 'group-acme-17', $set: { employees: 120, $name: 'Acme Corp', $created: '2020-05-06' } } },
    ]);
  });

  it('§10 group_key: the trait of that name gives the group id, the key stays in $set', () => {
    const [record] = mapRecords(baseGroup({ traits: { company_id: 'cmp-42', plan: 'team' } }), actionsOptions({ groupKey: 'company_id' }));
    expect(record!.record).toMatchObject({ $group_key: 'company_id', $group_id: 'cmp-42', $set: { company_id: 'cmp-42', plan: 'team' } });
  });

  it('§10 group_key without that trait falls back to groupId', () => {
    const [record] = mapRecords(baseGroup({ traits: { plan: 'solo' } }), actionsOptions({ groupKey: 'company_id' }));
    expect(record!.record).toMatchObject({ $group_key: 'company_id', $group_id: 'group-acme-17' });
  });

  it('§10 a group call without traits is rejected (Actions requires them); empty traits send an empty $set', () => {
    expectRejected(mapMessage(without(baseGroup(), 'traits'), actionsOptions()), /without traits/);
    expect(mapRecords(baseGroup({ traits: {} }), actionsOptions())[0]!.record).toMatchObject({ $group_id: 'group-acme-17', $set: {} });
  });

  it('§10 a numeric groupId is sent as a string (Actions\' field type), a numeric key trait as it is', () => {
    expect(mapRecords(baseGroup({ groupId: 9001 }), actionsOptions())[0]!.record).toMatchObject({ $group_id: '9001' });
    expect(mapRecords(baseGroup({ traits: { org: 77 } }), actionsOptions({ groupKey: 'org' }))[0]!.record).toMatchObject({ $group_id: 77 });
  });

  it('§10 a group call without groupId is rejected (Actions requires it)', () => {
    expectRejected(mapMessage(baseGroup({ groupId: null, traits: { company_id: 'cmp-1' } }), actionsOptions({ groupKey: 'company_id' })), /without a groupId/);
  });
});

describe('§10 alias', () => {
  it.each(['original', 'simplified'] as const)('§10 alias is skipped in %s mode ("alias is not mapped by the Actions preset")', (identity) => {
    expectSkipped(mapMessage(baseAlias(), actionsOptions({}, identity)), 'alias is not mapped by the Actions preset');
  });
});

/**
 * `--actions-alias`: the optional alias action, as segmentio/action-destinations
 * packages/destination-actions/src/destinations/mixpanel/alias/index.ts builds it (distinct_id ←
 * $.previousId; alias ← $.userId if it exists, else $.anonymousId; token; segment_source_name)
 * and alias/__tests__/index.test.ts shows it (property order, segment_source_name only when the
 * setting is given). Replay-safe additions: `time` and a deterministic `$insert_id`, on /import.
 */
describe('§10 --actions-alias: alias → $create_alias as the Actions alias action', () => {
  const withAlias = (settingsOverrides = {}, identity: 'original' | 'simplified' = 'original') => actionsOptions(settingsOverrides, identity, true);
  type Case = { name: string; message: JsonObject; settings?: JsonObject; properties: JsonObject };
  const cases: Case[] = [
    {
      name: 'previousId → distinct_id, userId → alias, then token, time, $insert_id',
      message: baseAlias({ previousId: 'prev-anon-3f', userId: 'user-alias-81', messageId: 'alias-msg-81' }),
      properties: { distinct_id: 'prev-anon-3f', alias: 'user-alias-81', token: TOKEN, time: TIME_MS, $insert_id: 'alias-msg-81' },
    },
    {
      name: 'sourceName → segment_source_name after the token',
      message: baseAlias({ previousId: 'prev-anon-4a', userId: 'user-alias-82', messageId: 'alias-msg-82' }),
      settings: { sourceName: 'web-source-alias' },
      properties: { distinct_id: 'prev-anon-4a', alias: 'user-alias-82', token: TOKEN, segment_source_name: 'web-source-alias', time: TIME_MS, $insert_id: 'alias-msg-82' },
    },
    {
      name: 'without a userId the alias is the anonymousId',
      message: baseAlias({ previousId: 'prev-user-old', userId: null, anonymousId: 'anon-alias-5b', messageId: 'alias-msg-83' }),
      properties: { distinct_id: 'prev-user-old', alias: 'anon-alias-5b', token: TOKEN, time: TIME_MS, $insert_id: 'alias-msg-83' },
    },
  ];
  it.each(cases)('§10 $name', ({ message, settings, properties }) => {
    const records = mapRecords(message, withAlias(settings));
    expect(records).toEqual([{ endpoint: '/import', record: { event: '$create_alias', properties } }]);
    expect(Object.keys((records[0]!.record as unknown as Event).properties)).toEqual(Object.keys(properties));
  });

  it.each([
    { name: 'no previousId', message: baseAlias({ previousId: null }), reason: 'alias without previousId' },
    { name: 'only the legacy from/to (Actions reads $.previousId and $.userId)', message: without(baseAlias({ from: 'legacy-from-1', to: 'legacy-to-1' }), 'previousId', 'userId'), reason: 'alias without previousId' },
    { name: 'neither userId nor anonymousId', message: baseAlias({ previousId: 'prev-anon-6c', userId: null }), reason: 'alias without userId or anonymousId' },
    { name: 'previousId equal to the new id', message: baseAlias({ previousId: 'same-id-7d', userId: 'same-id-7d' }), reason: 'alias previousId and its new id are both "same-id-7d"' },
  ])('§10 rejected: $name', ({ message, reason }) => {
    expectRejected(mapMessage(message, withAlias()), reason);
  });

  it('§5 §10 simplified mode sends no $create_alias (Mixpanel would reject the batch)', () => {
    expectSkipped(mapMessage(baseAlias(), withAlias({}, 'simplified')), 'alias has no effect with simplified ID merge');
  });
});
