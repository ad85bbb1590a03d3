/** SPEC §4 introduction, §4.0 and the common rules of §4.8. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import {
  ANONYMOUS_ID,
  HASHED_INSERT_ID,
  RUN_START_MS,
  TIME_ISO,
  TIME_MS,
  USER_ID,
  baseAlias,
  baseGroup,
  baseIdentify,
  basePage,
  baseTrack,
  coreProperties,
  engage,
  expectMapped,
  expectRejected,
  expectSkipped,
  mapEvent,
  mapProperties,
  mapRecords,
  options,
  without,
} from '../../support/mapping.js';

/** One valid message of every supported type, with the settings under which each is mapped. */
const EVERY_TYPE: Array<[string, () => JsonObject]> = [
  ['track', () => baseTrack()],
  ['page', () => basePage('page')],
  ['screen', () => basePage('screen')],
  ['identify', () => baseIdentify({ traits: { plan: 'plan-gold' } })],
  ['alias', () => baseAlias()],
  ['group', () => baseGroup({ traits: { industry: 'industry-retail' } })],
];
const EVERY_TYPE_OPTIONS = options({ people: true, groupIdentifierTraits: ['groupId'] });

describe('§4.0 which messages', () => {
  it.each(EVERY_TYPE)('§4.0 type "%s" is mapped', (type, build) => {
    const result = mapMessage(build(), EVERY_TYPE_OPTIONS);
    expect(result).toMatchObject({ outcome: 'mapped', type });
    expect(expectMapped(result).length).toBeGreaterThan(0);
  });

  it.each([
    ['TRACK', 'track'],
    ['Page', 'page'],
    ['sCrEeN', 'screen'],
    ['IDENTIFY', 'identify'],
    ['Alias', 'alias'],
    ['GROUP', 'group'],
  ])('§4.0 type is case-insensitive: "%s" is mapped as %s', (spelled, type) => {
    const build = EVERY_TYPE.find(([name]) => name === type)![1];
    const result = mapMessage({ ...build(), type: spelled }, EVERY_TYPE_OPTIONS);
    expect(result).toMatchObject({ outcome: 'mapped', type });
    expect(expectMapped(result)).toEqual(expectMapped(mapMessage(build(), EVERY_TYPE_OPTIONS)));
  });

  it.each([['trait'], ['batch'], ['Track Event'], [''], [42], [null]])('§4.0 type %j is rejected as "unsupported type"', (type) => {
    const result = mapMessage(baseTrack({ type }), options());
    expect(result).toMatchObject({ outcome: 'rejected', type: null });
    expectRejected(result, /unsupported type/);
  });

  it('§4.0 a message without a type is rejected as "unsupported type"', () => {
    expectRejected(mapMessage(without(baseTrack(), 'type'), options()), /unsupported type/);
  });
});

describe('§4.0 integrations', () => {
  it.each([
    ['Mixpanel === false', { Mixpanel: false }],
    ['Mixpanel === false even with All === true', { All: true, Mixpanel: false }],
    ['All === false without Mixpanel', { All: false }],
    ['All === false with Mixpanel falsy (0)', { All: false, Mixpanel: 0 }],
    ['All === false with Mixpanel null', { All: false, Mixpanel: null }],
  ])('§4.0 %s → skipped "disabled for Mixpanel by integrations"', (_name, integrations) => {
    expectSkipped(mapMessage(baseTrack({ integrations }), options()), 'disabled for Mixpanel by integrations');
  });

  it.each([
    ['All === false with Mixpanel === true', { All: false, Mixpanel: true }],
    ['All === false with Mixpanel an options object (truthy)', { All: false, Mixpanel: { apiSecret: 'ignored' } }],
    ['Mixpanel === true', { Mixpanel: true }],
    ['All === true', { All: true }],
    ['another destination disabled', { 'Google Analytics': false }],
  ])('§4.0 %s → still mapped', (_name, integrations) => {
    expect(mapEvent(baseTrack({ integrations })).properties).toEqual(coreProperties());
  });

  it.each(EVERY_TYPE)('§4.0 integrations.Mixpanel === false skips a %s message', (_type, build) => {
    expectSkipped(mapMessage({ ...build(), integrations: { Mixpanel: false } }, EVERY_TYPE_OPTIONS), 'disabled for Mixpanel by integrations');
  });
});

describe('§4.0 / §4.8 time', () => {
  const OTHER_ISO = '2026-11-28T01:02:03.000Z';
  const OTHER_MS = Date.UTC(2026, 10, 28, 1, 2, 3);
  const THIRD_ISO = '2026-11-27T04:05:06.000Z';
  const THIRD_MS = Date.UTC(2026, 10, 27, 4, 5, 6);
  const SECONDS = Date.UTC(2026, 10, 29, 8, 15, 30) / 1000;

  it.each<[string, JsonObject, number]>([
    ['timestamp is used first', { timestamp: TIME_ISO, originalTimestamp: OTHER_ISO, receivedAt: THIRD_ISO }, TIME_MS],
    ['originalTimestamp is used without timestamp', { originalTimestamp: OTHER_ISO, receivedAt: THIRD_ISO }, OTHER_MS],
    ['receivedAt is used without timestamp and originalTimestamp', { receivedAt: THIRD_ISO }, THIRD_MS],
    ['a null timestamp counts as absent', { timestamp: null, originalTimestamp: OTHER_ISO }, OTHER_MS],
    ['an epoch number below 31557600000 is seconds', { timestamp: SECONDS }, SECONDS * 1000],
    ['an epoch number of 31557600000 or more is milliseconds', { timestamp: TIME_MS }, TIME_MS],
    ['31557600000 exactly is milliseconds (1971-01-01T06:00:00Z)', { timestamp: 31_557_600_000 }, 31_557_600_000],
    ['an ISO-8601 offset is applied', { timestamp: '2026-11-29T10:15:30.250+02:00' }, TIME_MS],
    ['1971-01-01T00:00:00Z is accepted', { timestamp: '1971-01-01T00:00:00Z' }, Date.UTC(1971, 0, 1)],
    ['exactly one hour after the run start is accepted', { timestamp: new Date(RUN_START_MS + 3_600_000).toISOString() }, RUN_START_MS + 3_600_000],
  ])('§4.0 event time in epoch ms: %s', (_name, times, expected) => {
    expect(mapEvent({ ...without(baseTrack(), 'timestamp'), ...times }).properties.time).toBe(expected);
  });

  it.each<[string, JsonObject, RegExp]>([
    ['no time field at all is rejected (never "now")', {}, /timestamp/],
    ['an unparseable timestamp is rejected', { timestamp: 'yesterday-ish' }, /timestamp/],
    ['an unparseable timestamp does not fall through to originalTimestamp', { timestamp: 'not-a-date', originalTimestamp: OTHER_ISO }, /timestamp/],
    ['an unparseable originalTimestamp does not fall through to receivedAt', { originalTimestamp: '2026-13-45', receivedAt: THIRD_ISO }, /originalTimestamp/],
    ['a time before 1971-01-01 is rejected', { timestamp: '1970-12-31T23:59:59.999Z' }, /1971/],
    ['epoch 0 is rejected (before 1971)', { timestamp: 0 }, /1971/],
    ['a time more than one hour after the run start is rejected', { timestamp: new Date(RUN_START_MS + 3_600_001).toISOString() }, /hour/],
    ['31557599999 is epoch seconds (year 2970), so it is in the future', { timestamp: 31_557_599_999 }, /hour/],
  ])('§4.0 time: %s', (_name, times, reason) => {
    expectRejected(mapMessage({ ...without(baseTrack(), 'timestamp'), ...times }, options()), reason);
  });

  it.each(EVERY_TYPE)('§4.0 a %s message without any time field is rejected', (_type, build) => {
    expectRejected(mapMessage(without(build(), 'timestamp'), EVERY_TYPE_OPTIONS), /timestamp/);
  });

  it.each(EVERY_TYPE)('§4.0 a %s message more than one hour in the future is rejected', (_type, build) => {
    const raw = { ...build(), timestamp: new Date(RUN_START_MS + 2 * 3_600_000).toISOString() };
    expectRejected(mapMessage(raw, EVERY_TYPE_OPTIONS), /hour/);
  });

  it('§4 the future-time check uses runStartMs, not the clock', () => {
    // Far beyond any real clock: a check against Date.now() would reject this message.
    const lateMs = Date.UTC(2199, 0, 1);
    const later = { ...options(), runStartMs: lateMs + 86_400_000 };
    expect(mapEvent(baseTrack({ timestamp: new Date(lateMs).toISOString() }), later).properties.time).toBe(lateMs);
  });
});

/** SPEC §4.8: every placeholder id, matched case-insensitively after trimming. */
const PLACEHOLDER_IDS: Array<string | number> = [
  '00000000-0000-0000-0000-000000000000',
  'anon',
  'anonymous',
  'nil',
  'none',
  'null',
  'n/a',
  'na',
  'undefined',
  'unknown',
  '<nil>',
  '0',
  '-1',
  'true',
  'false',
  '[]',
  '{}',
  '',
  ' Anonymous ',
  'NULL',
  'N/A',
  '\tUndefined\n',
  0,
  -1,
];

describe('§4.0 / §4.8 distinct id and placeholder ids (original mode)', () => {
  it('§4.0 distinct_id is the userId when both ids exist', () => {
    expect(mapEvent(baseTrack({ anonymousId: ANONYMOUS_ID })).properties.distinct_id).toBe(USER_ID);
  });

  it('§4.0 distinct_id is the anonymousId without a userId', () => {
    expect(mapEvent(without(baseTrack({ anonymousId: ANONYMOUS_ID }), 'userId')).properties).toEqual(coreProperties({ distinct_id: ANONYMOUS_ID }));
  });

  it('§4.0 a track with neither userId nor anonymousId is rejected', () => {
    expectRejected(mapMessage(without(baseTrack(), 'userId'), options()), /distinct id/);
  });

  it.each(PLACEHOLDER_IDS)('§4.8 userId placeholder %j counts as absent: distinct_id falls back to anonymousId', (placeholder) => {
    expect(mapEvent(baseTrack({ userId: placeholder, anonymousId: ANONYMOUS_ID })).properties.distinct_id).toBe(ANONYMOUS_ID);
  });

  it.each(PLACEHOLDER_IDS)('§4.8 userId and anonymousId both placeholder %j → rejected (no distinct id)', (placeholder) => {
    expectRejected(mapMessage(baseTrack({ userId: placeholder, anonymousId: placeholder }), options()), /distinct id/);
  });

  it.each(PLACEHOLDER_IDS)('§4.8 previousId placeholder %j counts as absent: alias rejected', (placeholder) => {
    expectRejected(mapMessage(baseAlias({ previousId: placeholder }), options()), /previousId/);
  });

  it.each([
    ['anonymous-user-7', 'a placeholder as a prefix is a real id'],
    ['nullable', 'a word starting with a placeholder is a real id'],
    ['00000000-0000-0000-0000-000000000001', 'a non-zero UUID is a real id'],
  ])('§4.8 userId %j is kept: %s', (id) => {
    expect(mapEvent(baseTrack({ userId: id, anonymousId: ANONYMOUS_ID })).properties.distinct_id).toBe(id);
  });

  it.each([
    [12345, '12345'],
    [7.5, '7.5'],
  ])('§4.8 numeric userId %j is sent as the string %j', (userId, expected) => {
    expect(mapEvent(baseTrack({ userId })).properties.distinct_id).toBe(expected);
  });

  it('§4.8 numeric anonymousId is sent as a string', () => {
    expect(mapEvent(without(baseTrack({ anonymousId: 98765 }), 'userId')).properties.distinct_id).toBe('98765');
  });
});

describe('§4.0 $insert_id', () => {
  it.each([
    ['msg-track-0001', 'letters, digits and dashes'],
    ['0f8fad5b-d9cb-469f-a165-70867728950e', 'a 36-character UUID'],
    ['A'.repeat(36), 'exactly 36 characters'],
    ['x', 'a single character'],
  ])('§4.0 a valid messageId %j is the $insert_id as is (%s)', (messageId) => {
    expect(mapEvent(baseTrack({ messageId })).properties.$insert_id).toBe(messageId);
  });

  it('§4.0 a numeric messageId is used as its string', () => {
    expect(mapEvent(baseTrack({ messageId: 1234567 })).properties.$insert_id).toBe('1234567');
  });

  const INVALID: Array<[string, string]> = [
    ['ajs-next-1234:abc', 'has a colon'],
    ['ajs-0f8fad5b-d9cb-469f-a165-70867728950e', 'is longer than 36 characters (40)'],
    ['B'.repeat(37), 'is 37 characters'],
    ['msg_with_underscore', 'has an underscore'],
    ['msg id with spaces', 'has spaces'],
    ['none', 'is a placeholder'],
    ['null', 'is a placeholder'],
  ];

  it.each(INVALID)('§4.0 messageId %j (%s) becomes a deterministic 36-character [A-Za-z0-9-] hash', (messageId) => {
    const first = mapEvent(baseTrack({ messageId })).properties.$insert_id;
    const second = mapEvent(baseTrack({ messageId, properties: { changed: 'other-content' } })).properties.$insert_id;
    expect(first).toMatch(HASHED_INSERT_ID);
    expect(first).not.toBe(messageId);
    expect(second).toBe(first);
  });

  it('§4.0 distinct invalid messageIds give distinct $insert_ids', () => {
    const ids = INVALID.map(([messageId]) => mapEvent(baseTrack({ messageId })).properties.$insert_id);
    expect(new Set(ids).size).toBe(INVALID.length);
  });

  it('§4.0 without messageId the $insert_id hashes the canonical message: key order does not matter', () => {
    const raw = without(baseTrack({ properties: { color: 'color-red', size: 'size-xl' }, context: { ip: '203.0.113.9' } }), 'messageId');
    const reordered: JsonObject = Object.fromEntries(Object.entries(raw).reverse());
    reordered.properties = { size: 'size-xl', color: 'color-red' };
    const id = mapEvent(raw).properties.$insert_id;
    expect(id).toMatch(HASHED_INSERT_ID);
    expect(mapEvent(reordered).properties.$insert_id).toBe(id);
  });

  it('§4.0 without messageId different messages get different $insert_ids', () => {
    const a = without(baseTrack({ properties: { color: 'color-red' } }), 'messageId');
    const b = without(baseTrack({ properties: { color: 'color-blue' } }), 'messageId');
    expect(mapEvent(a).properties.$insert_id).not.toBe(mapEvent(b).properties.$insert_id);
  });

  it('§4.0 an empty messageId (not 1–36 characters) gets a deterministic 36-character hash', () => {
    const id = mapEvent(baseTrack({ messageId: '' })).properties.$insert_id;
    expect(id).toMatch(HASHED_INSERT_ID);
    expect(mapEvent(baseTrack({ messageId: '' })).properties.$insert_id).toBe(id);
  });
});

describe('§4 determinism', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const CASES: Array<[string, JsonObject]> = [
    ['track without messageId', without(baseTrack({ properties: { sku: 'sku-1' } }), 'messageId')],
    ['track with an invalid messageId', baseTrack({ messageId: 'ajs-next-1234:abc', properties: { revenue: 12.5 } })],
    ['page', basePage('page', { name: 'name-Pricing' })],
    ['identify', baseIdentify({ traits: { email: 'e@example.com' }, context: { device: { token: 'push-token-1' } } })],
    ['alias', baseAlias()],
    ['group', baseGroup({ traits: { industry: 'industry-retail' } })],
  ];

  it.each(CASES)('§4 the same %s mapped twice gives byte-identical json', (_name, raw) => {
    const clean = JSON.parse(JSON.stringify(raw)) as JsonObject;
    const opts = options({ people: true, groupIdentifierTraits: ['groupId'] });
    const first = mapMessage(clean, opts);
    const second = mapMessage(JSON.parse(JSON.stringify(raw)) as JsonObject, opts);
    const jsonOf = (r: typeof first): string[] => (r.outcome === 'mapped' ? r.records.map((x) => x.json) : []);
    expect(jsonOf(first).length).toBeGreaterThan(0);
    expect(jsonOf(second)).toEqual(jsonOf(first));
  });

  it.each(CASES)('§4 mapping a %s never reads the clock or a random source', (_name, raw) => {
    const clean = JSON.parse(JSON.stringify(raw)) as JsonObject;
    const opts = options({ people: true, groupIdentifierTraits: ['groupId'] });
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    vi.useFakeTimers({ now: Date.UTC(2001, 0, 1) });
    const early = expectMapped(mapMessage(clean, opts));
    vi.setSystemTime(Date.UTC(2099, 0, 1));
    const late = expectMapped(mapMessage(clean, opts));
    expect(late).toEqual(early);
  });
});

describe('§4.0 key matching (case- and punctuation-insensitive)', () => {
  it.each(['searchEngine', 'search_engine', 'Search Engine', 'SEARCH-ENGINE'])('§4.0 property %j is renamed to $search_engine', (key) => {
    expect(mapProperties(baseTrack({ properties: { [key]: 'engine-duckduckgo' } }))).toEqual(coreProperties({ $search_engine: 'engine-duckduckgo' }));
  });

  it.each(['firstName', 'first_name', 'First Name', 'FIRSTNAME'])('§4.0 trait %j is renamed to $first_name', (key) => {
    const records = mapRecords(baseIdentify({ traits: { [key]: 'first-Ada' } }), options({ people: true }));
    expect(records).toEqual([engage({ $set: { $first_name: 'first-Ada' } })]);
  });

  it.each(['revenue', 'Revenue', 'REVENUE'])('§4.0 property %j is the revenue', (key) => {
    const records = mapRecords(baseTrack({ properties: { [key]: 19.99 } }), options({ people: true }));
    expect(records.slice(1)).toEqual([engage({ $append: { $transactions: { $time: '2026-11-29T08:15:30', $amount: 19.99 } } })]);
  });
});

describe('§4.0 / §4.8 dates', () => {
  it.each([
    ['2026-11-29T10:15:30.250+02:00'],
    ['2025-01-02T03:04:05Z'],
    ['2025-01-02'],
  ])('§4.8 an ISO string %j in event properties is sent as it is', (value) => {
    expect(mapProperties(baseTrack({ properties: { signed_up_at: value } }))).toEqual(coreProperties({ signed_up_at: value }));
  });

  it.each([
    ['2025-03-04T05:06:07.890+01:00', '2025-03-04T04:06:07'],
    ['2025-03-04T05:06:07Z', '2025-03-04T05:06:07'],
    ['2025-03-04 05:06:07', '2025-03-04T05:06:07'],
  ])('§4.8 an ISO date-time %j in a profile update becomes %j (UTC)', (value, expected) => {
    const records = mapRecords(baseIdentify({ traits: { renewed_at: value, nested: { at: value }, list: [value] } }), options({ people: true }));
    expect(records).toEqual([engage({ $set: { renewed_at: expected, nested: { at: expected }, list: [expected] } })]);
  });

  it.each(['2025-03-04', 'not-a-date 2025', '2025-03-04T25:00:00Z'])('§4.8 a profile string %j that is not an ISO date-time is sent unchanged', (value) => {
    const records = mapRecords(baseIdentify({ traits: { renewed_at: value } }), options({ people: true }));
    expect(records).toEqual([engage({ $set: { renewed_at: value } })]);
  });

  it.each([
    ['2013-01-01', '2013-01-01T00:00:00'],
    ['2013-01-01T10:11:12.345-03:00', '2013-01-01T13:11:12'],
  ])('§4.0 $created from %j is %j', (created, expected) => {
    const records = mapRecords(baseIdentify({ traits: { created } }), options({ people: true }));
    expect(records).toEqual([engage({ $set: { $created: expected } })]);
  });
});

describe('§4.0 / §4.8 objects, arrays and nulls', () => {
  it('§4.0 objects and arrays are sent as JSON objects and arrays', () => {
    const properties = { cart: { items: [{ sku: 'sku-1', qty: 2 }], coupon: 'coupon-WELCOME' }, tags: ['tag-a', 'tag-b'] };
    expect(mapProperties(baseTrack({ properties }))).toEqual(coreProperties(properties));
  });

  it('§4.8 null values are dropped at the top level of event properties only', () => {
    const properties = { gone: null, kept: 'kept-value', nested: { inner: null, other: 'other-value' }, list: [null, 'list-value'] };
    expect(mapProperties(baseTrack({ properties }))).toEqual(
      coreProperties({ kept: 'kept-value', nested: { inner: null, other: 'other-value' }, list: [null, 'list-value'] }),
    );
  });

  it('§4.0 false, 0 and "" are not null and are kept', () => {
    const properties = { flag: false, count: 0, note: '' };
    expect(mapProperties(baseTrack({ properties }))).toEqual(coreProperties(properties));
  });
});

describe('§4.0 reserved names', () => {
  it.each(['length', 'bucket'])('§4.0 a property named %j is sent unchanged and counted as one warning', (name) => {
    const result = mapMessage(baseTrack({ properties: { [name]: 'reserved-value' } }), options());
    expect(expectMapped(result)).toEqual([{ endpoint: '/import', record: { event: 'Order Completed', properties: coreProperties({ [name]: 'reserved-value' }) } }]);
    const warnings = result.outcome === 'mapped' ? result.warnings : [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(name);
  });

  it('§4.0 a message without reserved names has no warnings', () => {
    expect(mapMessage(baseTrack({ properties: { lengthy: 'x', buckets: 'y' } }), options())).toMatchObject({ outcome: 'mapped', warnings: [] });
  });

  it.each([
    '$import',
    '$mp_api_endpoint',
    '$mp_api_timestamp_ms',
    'mp_processing_time_ms',
  ])('§4.0 property %j, set by Mixpanel itself, is dropped', (name) => {
    expect(mapProperties(baseTrack({ properties: { [name]: 'set-by-mixpanel', kept: 'kept-value' } }))).toEqual(coreProperties({ kept: 'kept-value' }));
  });

  it.each(['$import', 'mp_processing_time_ms'])('§4.0 %j is dropped even when it arrives as a super property (context.traits)', (name) => {
    const raw = baseTrack({ context: { traits: { [name]: 'set-by-mixpanel', plan: 'plan-gold' } } });
    expect(mapProperties(raw)).toEqual(coreProperties({ plan: 'plan-gold' }));
  });
});

describe('§4.0 / §4.8 limits', () => {
  /** n distinct user properties p000…; the event adds time, distinct_id, $insert_id, token and ip. */
  function manyProperties(n: number): JsonObject {
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${String(i).padStart(3, '0')}`, i]));
  }

  it('§4.0 an event with 254 final properties is accepted', () => {
    expect(Object.keys(mapProperties(baseTrack({ properties: manyProperties(249) })))).toHaveLength(254);
  });

  it('§4.0 an event with 255 final properties is rejected with the reason', () => {
    expectRejected(mapMessage(baseTrack({ properties: manyProperties(250) }), options()), /255/);
  });

  it('§4.8 the 255-property limit counts mapped context properties', () => {
    expectRejected(mapMessage(baseTrack({ properties: manyProperties(249), context: { os: { name: 'os-name-ios' } } }), options()), /255/);
  });

  it('§4.8 the 255-property limit counts super properties', () => {
    expectRejected(mapMessage(baseTrack({ properties: manyProperties(249), context: { traits: { plan: 'plan-gold' } } }), options()), /255/);
  });

  it('§4.8 dropped null properties do not count towards the 255-property limit', () => {
    const properties = { ...manyProperties(249), dropped: null };
    expect(Object.keys(mapProperties(baseTrack({ properties })))).toHaveLength(254);
  });

  it('§4.0 an event over 1 MB is rejected with the reason', () => {
    expectRejected(mapMessage(baseTrack({ properties: { blob: 'x'.repeat(1_100_000) } }), options()), /bytes|MB/);
  });

  it('§4.0 an event well under 1 MB is accepted', () => {
    expect(mapProperties(baseTrack({ properties: { blob: 'y'.repeat(900_000) } })).blob).toHaveLength(900_000);
  });

  it('§4.0 nesting 3 levels deep is accepted', () => {
    const properties = { level1: { level2: { level3: { leaf: 'leaf-value' } } }, list1: [[['deep-item']]] };
    expect(mapProperties(baseTrack({ properties }))).toEqual(coreProperties(properties));
  });

  it.each<[string, JsonObject]>([
    ['objects in properties', { properties: { level1: { level2: { level3: { level4: { leaf: 'leaf-value' } } } } } }],
    ['arrays in properties', { properties: { list1: [[[['too-deep']]]] } }],
    ['a super property from context.traits', { context: { traits: { level1: { level2: { level3: { level4: {} } } } } } }],
  ])('§4.0 nesting deeper than 3 (%s) is rejected with the reason', (_kind, overrides) => {
    expectRejected(mapMessage(baseTrack(overrides), options()), /nested|deep/);
  });

  it.each<[string, JsonObject]>([
    ['a lone high surrogate in a value', { text: 'broken-\uD800-text' }],
    ['a lone low surrogate in a nested value', { nested: { text: '\uDC00' } }],
    ['a lone surrogate in a key', { ['key-\uD83D']: 'value' }],
  ])('§4.0 invalid UTF-8 (%s) is rejected with the reason', (_name, properties) => {
    expectRejected(mapMessage(baseTrack({ properties }), options()), /UTF-8/);
  });

  it('§4.0 a valid surrogate pair (emoji) is accepted', () => {
    expect(mapProperties(baseTrack({ properties: { mood: 'mood-\uD83D\uDE00' } }))).toEqual(coreProperties({ mood: 'mood-😀' }));
  });
});

describe('§4.8 order of checks: parse → unsupported type → integrations disabled → required fields', () => {
  it('§4.8 an unsupported type is rejected even when integrations disable Mixpanel', () => {
    const result = mapMessage({ type: 'trait', integrations: { Mixpanel: false } }, options());
    expect(result).toMatchObject({ outcome: 'rejected', type: null });
    expectRejected(result, /unsupported type/);
  });

  it.each<[string, JsonObject]>([
    ['no time field', { ...baseTrack(), timestamp: null }],
    ['an unparseable timestamp', baseTrack({ timestamp: 'garbage-time' })],
    ['a time before 1971', baseTrack({ timestamp: '1960-01-01T00:00:00Z' })],
    ['no userId or anonymousId', { ...baseTrack(), userId: null }],
    ['a track without an event name', { ...baseTrack(), event: null }],
    ['properties that are not an object', baseTrack({ properties: ['not', 'an', 'object'] })],
    ['an alias without previousId', { ...baseAlias(), previousId: null }],
    ['an identify without any id', { ...baseIdentify(), userId: null }],
  ])('§4.8 a disabled message with %s is skipped, not rejected', (_name, raw) => {
    expectSkipped(mapMessage({ ...raw, integrations: { All: false } }, options({ people: true })), 'disabled for Mixpanel by integrations');
  });

  it.each<[string, JsonObject, RegExp]>([
    ['a track without an event name', { ...baseTrack(), event: '' }, /event/],
    ['a track whose event is not a string', baseTrack({ event: 42 }), /event/],
    ['properties that are an array', baseTrack({ properties: ['x'] }), /properties/],
    ['context that is a string', baseTrack({ context: 'ctx' }), /context/],
  ])('§4.0 required fields: %s is rejected', (_name, raw, reason) => {
    expectRejected(mapMessage(raw, options()), reason);
  });
});

describe('§4.0 distinct id applies to every message type', () => {
  // A group call without ids still sends its /groups updates (§4.9): see group-parity.test.ts.
  it.each(EVERY_TYPE.filter(([type]) => type !== 'alias' && type !== 'group'))('§4.0 a %s message with neither userId nor anonymousId is rejected', (_type, build) => {
    expectRejected(mapMessage(without(build(), 'userId', 'anonymousId'), EVERY_TYPE_OPTIONS), /distinct id|userId|anonymousId/);
  });
});
