/** SPEC §4.4 (revenue, eventIncrements, propIncrements) and the matching §4.8 rules. */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { Json, JsonObject } from '../../../src/lib/json.js';
import { ANONYMOUS_ID, TIME_PROFILE, USER_ID, baseTrack, coreProperties, engage, followUps, mapRecords, options, without } from '../../support/mapping.js';

function people(overrides: Partial<Settings> = {}, identity: 'original' | 'simplified' = 'original') {
  return options({ people: true, ...overrides }, identity);
}

function transaction(amount: number, fields: JsonObject = {}) {
  return engage({ $append: { $transactions: { $time: TIME_PROFILE, $amount: amount } } }, fields);
}

describe('§4.4 revenue → $append $transactions', () => {
  it.each<[string, Json, number]>([
    ['a number', 42.5, 42.5],
    ['an integer', 300, 300],
    ['a numeric string', '19.99', 19.99],
    ['a negative number (refund)', -12, -12],
    ['a negative numeric string', '-3.5', -3.5],
  ])('§4.4 revenue as %s gives $amount as a number', (_name, revenue, amount) => {
    expect(followUps(baseTrack({ properties: { revenue } }), people())).toEqual([transaction(amount)]);
  });

  it.each<[string, Json]>([
    ['zero', 0],
    ['the string "0"', '0'],
    ['a non-numeric string', 'lots'],
    ['an empty string', ''],
    ['a boolean', true],
    ['null', null],
    ['an object', { amount: 5 }],
  ])('§4.4 revenue as %s gives no update', (_name, revenue) => {
    expect(followUps(baseTrack({ properties: { revenue } }), people())).toEqual([]);
  });

  it('§4.4 no revenue property gives no update', () => {
    expect(followUps(baseTrack({ properties: { price: 10 } }), people())).toEqual([]);
  });

  it('§4.4 $transactions.$time is the message time as YYYY-MM-DDTHH:MM:SS (UTC)', () => {
    const raw = baseTrack({ timestamp: '2025-06-07T23:30:45.999-02:00', properties: { revenue: 5 } });
    expect(followUps(raw, people())).toEqual([
      engage({ $append: { $transactions: { $time: '2025-06-08T01:30:45', $amount: 5 } } }, { $time: Date.UTC(2025, 5, 8, 1, 30, 45, 999) }),
    ]);
  });

  it('§4.4 / §4.8 revenue updates carry $ip and $ignore_time like §4.3', () => {
    const raw = baseTrack({ properties: { revenue: 5 }, context: { ip: '203.0.113.9', active: false } });
    expect(followUps(raw, people())).toEqual([transaction(5, { $ip: '203.0.113.9', $ignore_time: true })]);
  });

  it('§4.8 revenue in original mode without userId goes to the anonymousId profile', () => {
    const raw = without(baseTrack({ anonymousId: ANONYMOUS_ID, properties: { revenue: 5 } }), 'userId');
    expect(followUps(raw, people())).toEqual([transaction(5, { $distinct_id: ANONYMOUS_ID })]);
  });

  it('§4.8 revenue in simplified mode without userId gives no profile update', () => {
    const raw = without(baseTrack({ anonymousId: ANONYMOUS_ID, properties: { revenue: 5 } }), 'userId');
    expect(followUps(raw, people({}, 'simplified'))).toEqual([]);
  });

  it('§4.4 revenue without people gives no update', () => {
    expect(followUps(baseTrack({ properties: { revenue: 5 } }), options({ people: false }))).toEqual([]);
  });
});

describe('§4.4 eventIncrements', () => {
  it('§4.4 an event in eventIncrements with a userId → $add {event: 1} and $set {"Last event": date}', () => {
    expect(followUps(baseTrack({ event: 'Logged In' }), people({ eventIncrements: ['Logged In'] }))).toEqual([
      engage({ $add: { 'Logged In': 1 } }),
      engage({ $set: { 'Last Logged In': TIME_PROFILE } }),
    ]);
  });

  it.each([
    ['logged in', 'LOGGED IN'],
    ['Logged In', 'logged in'],
    ['lOgGeD iN', 'Logged In'],
  ])('§4.8 event %j matches eventIncrements entry %j case-insensitively; keys keep the message spelling', (event, setting) => {
    expect(followUps(baseTrack({ event }), people({ eventIncrements: [setting] }))).toEqual([
      engage({ $add: { [event]: 1 } }),
      engage({ $set: { [`Last ${event}`]: TIME_PROFILE } }),
    ]);
  });

  it('§4.4 an event not in eventIncrements gives no update', () => {
    expect(followUps(baseTrack({ event: 'Signed Up' }), people({ eventIncrements: ['Logged In'] }))).toEqual([]);
  });

  it('§4.4 eventIncrements need a userId (no update for an anonymous-only event)', () => {
    const raw = without(baseTrack({ event: 'Logged In', anonymousId: ANONYMOUS_ID }), 'userId');
    expect(followUps(raw, people({ eventIncrements: ['Logged In'] }))).toEqual([]);
  });

  it('§4.4 eventIncrements updates carry $ip and $ignore_time', () => {
    const raw = baseTrack({ event: 'Logged In', context: { ip: '198.51.100.23', active: false } });
    expect(followUps(raw, people({ eventIncrements: ['Logged In'] }))).toEqual([
      engage({ $add: { 'Logged In': 1 } }, { $ip: '198.51.100.23', $ignore_time: true }),
      engage({ $set: { 'Last Logged In': TIME_PROFILE } }, { $ip: '198.51.100.23', $ignore_time: true }),
    ]);
  });

  it('§4.4 eventIncrements without people gives no update', () => {
    expect(followUps(baseTrack({ event: 'Logged In' }), options({ eventIncrements: ['Logged In'] }))).toEqual([]);
  });
});

describe('§4.4 / §4.8 propIncrements', () => {
  it('§4.8 one $add update holds every matching key with a number or numeric-string value', () => {
    const properties = { items: 3, 'Gift Cards': '2', discount: 'none', unrelated: 9 };
    expect(followUps(baseTrack({ properties }), people({ propIncrements: ['items', 'Gift Cards', 'discount'] }))).toEqual([
      engage({ $add: { items: 3, 'Gift Cards': 2 } }),
    ]);
  });

  it('§4.8 propIncrements match case-insensitively; keys keep the message spelling', () => {
    const properties = { Items: 4, POINTS: 1.5 };
    expect(followUps(baseTrack({ properties }), people({ propIncrements: ['items', 'points'] }))).toEqual([engage({ $add: { Items: 4, POINTS: 1.5 } })]);
  });

  it.each<[string, Json]>([
    ['a non-numeric string', 'three'],
    ['a boolean', true],
    ['null', null],
    ['an array', [1, 2]],
  ])('§4.4 a propIncrements key with %s is not added (no update)', (_name, value) => {
    expect(followUps(baseTrack({ properties: { items: value } }), people({ propIncrements: ['items'] }))).toEqual([]);
  });

  it('§4.4 a propIncrements key that is absent gives no update', () => {
    expect(followUps(baseTrack({ properties: { other: 1 } }), people({ propIncrements: ['items'] }))).toEqual([]);
  });

  it('§4.4 propIncrements need a userId', () => {
    const raw = without(baseTrack({ anonymousId: ANONYMOUS_ID, properties: { items: 3 } }), 'userId');
    expect(followUps(raw, people({ propIncrements: ['items'] }))).toEqual([]);
  });

  it('§4.4 propIncrements without people gives no update', () => {
    expect(followUps(baseTrack({ properties: { items: 3 } }), options({ propIncrements: ['items'] }))).toEqual([]);
  });

  it('§4.4 the increment property is still sent on the event', () => {
    expect(mapRecords(baseTrack({ properties: { items: 3 } }), people({ propIncrements: ['items'] }))).toEqual([
      { endpoint: '/import', record: { event: 'Order Completed', properties: coreProperties({ items: 3 }) } },
      engage({ $add: { items: 3 } }),
    ]);
  });
});

describe('§4.4 all People updates of one track', () => {
  it('§4.4 event increment, "Last" $set, property increments and revenue are separate updates for the user', () => {
    const raw = baseTrack({ event: 'Order Completed', anonymousId: ANONYMOUS_ID, properties: { revenue: '49.90', items: 2 }, context: { ip: '203.0.113.9' } });
    expect(followUps(raw, people({ eventIncrements: ['order completed'], propIncrements: ['items'] }))).toEqual([
      engage({ $add: { 'Order Completed': 1 } }, { $ip: '203.0.113.9' }),
      engage({ $set: { 'Last Order Completed': TIME_PROFILE } }, { $ip: '203.0.113.9' }),
      engage({ $add: { items: 2 } }, { $ip: '203.0.113.9' }),
      transaction(49.9, { $ip: '203.0.113.9', $distinct_id: USER_ID }),
    ]);
  });

  it('§5 in simplified mode the updates use $distinct_id = userId', () => {
    const raw = baseTrack({ event: 'Logged In', anonymousId: ANONYMOUS_ID, properties: { revenue: 1 } });
    expect(followUps(raw, people({ eventIncrements: ['Logged In'] }, 'simplified'))).toEqual([
      engage({ $add: { 'Logged In': 1 } }),
      engage({ $set: { 'Last Logged In': TIME_PROFILE } }),
      transaction(1),
    ]);
  });
});
