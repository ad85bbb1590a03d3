/**
 * Parity with Segment's classic code (README "Mapping"): `context.Mixpanel.ignoreIp` /
 * `ignoreTime` on profile updates, `integrations` keys matched case-insensitively, and the
 * legacy id fields `sessionId`, `from` and `to`. (Event `ip` rows are in track.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import {
  TIME_MS,
  TIME_PROFILE,
  TOKEN,
  USER_ID,
  baseAlias,
  baseGroup,
  baseIdentify,
  basePage,
  baseTrack,
  coreProperties,
  engage,
  expectRejected,
  expectSkipped,
  mapProperties,
  mapRecords,
  options,
  without,
} from '../../support/mapping.js';

const PEOPLE: Partial<Settings> = { people: true };

/** One profile update of each kind, for a message with the given context: [rule, message, settings, operation]. */
const PROFILE_KINDS: Array<[string, (context: JsonObject) => JsonObject, Partial<Settings>, JsonObject]> = [
  ['identify $set', (context) => baseIdentify({ traits: { plan: 'plan-k1' }, context }), PEOPLE, { $set: { plan: 'plan-k1' } }],
  [
    'revenue $append',
    (context) => baseTrack({ event: 'Paid Invoice', properties: { revenue: 41 }, context }),
    PEOPLE,
    { $append: { $transactions: { $time: TIME_PROFILE, $amount: 41 } } },
  ],
  [
    'group membership $union',
    (context) => baseGroup({ traits: { industry: 'industry-k3' }, context }),
    { people: true, groupIdentifierTraits: ['groupId'] },
    { $union: { groupId: ['group-acme-17'] } },
  ],
];

/** The /engage updates of a message (group updates dropped). */
function engageOf(raw: JsonObject, settings: Partial<Settings>) {
  return mapRecords(raw, options(settings)).filter((r) => r.endpoint === '/engage');
}

describe('context.Mixpanel.ignoreIp on profile updates', () => {
  it.each(PROFILE_KINDS)('ignoreIp: true gives $ip "0" on a %s despite context.ip', (_kind, build, settings, operation) => {
    expect(engageOf(build({ ip: '198.51.100.61', Mixpanel: { ignoreIp: true } }), settings)).toEqual([engage(operation, { $ip: '0' })]);
  });

  it.each(PROFILE_KINDS)('without ignoreIp a %s keeps context.ip', (_kind, build, settings, operation) => {
    expect(engageOf(build({ ip: '198.51.100.62', Mixpanel: { ignoreTime: false } }), settings)).toEqual([engage(operation, { $ip: '198.51.100.62' })]);
  });
});

describe('context.Mixpanel.ignoreTime on profile updates', () => {
  it.each(PROFILE_KINDS)('ignoreTime: true gives $ignore_time: true on a %s', (_kind, build, settings, operation) => {
    expect(engageOf(build({ ip: '198.51.100.63', Mixpanel: { ignoreTime: true } }), settings)).toEqual([
      engage(operation, { $ip: '198.51.100.63', $ignore_time: true }),
    ]);
  });

  it.each<[string, JsonObject]>([
    ['the key spelled mixpanel.ignore_time', { mixpanel: { ignore_time: true } }],
    ['together with context.active === false', { active: false, Mixpanel: { ignoreTime: true } }],
  ])('ignoreTime matches like any Segment key: %s', (_name, context) => {
    expect(engageOf(baseIdentify({ traits: { plan: 'plan-k4' }, context }), PEOPLE)).toEqual([engage({ $set: { plan: 'plan-k4' } }, { $ignore_time: true })]);
  });

  it.each<[string, JsonObject]>([
    ['ignoreTime false', { Mixpanel: { ignoreTime: false } }],
    ['ignoreTime "true" (a string)', { Mixpanel: { ignoreTime: 'true' } }],
    ['Mixpanel not an object', { Mixpanel: true }],
  ])('no $ignore_time with %s', (_name, context) => {
    expect(engageOf(baseIdentify({ traits: { plan: 'plan-k5' }, context }), PEOPLE)).toEqual([engage({ $set: { plan: 'plan-k5' } })]);
  });

  it('ignoreTime does not change the event itself', () => {
    expect(mapProperties(baseTrack({ context: { Mixpanel: { ignoreTime: true } } }))).toEqual(coreProperties());
  });
});

describe('integrations keys All and Mixpanel match case-insensitively', () => {
  it.each<[string, JsonObject]>([
    ['mixpanel: false', { mixpanel: false }],
    ['MIXPANEL: false', { MIXPANEL: false }],
    ['all: false', { all: false }],
    ['ALL: false with mixpanel null', { ALL: false, mixpanel: null }],
  ])('%s → skipped "disabled for Mixpanel by integrations"', (_name, integrations) => {
    expectSkipped(mapMessage(baseTrack({ integrations }), options()), 'disabled for Mixpanel by integrations');
  });

  it.each<[string, JsonObject]>([
    ['all: false with mixpanel: true', { all: false, mixpanel: true }],
    ['All: false with MixPanel an options object', { All: false, MixPanel: { apiSecret: 'ignored' } }],
    ['the first spelling wins: mixpanel: true before Mixpanel: false', { mixpanel: true, Mixpanel: false }],
    ['punctuation is not folded: "mix-panel": false', { 'mix-panel': false }],
  ])('%s → still mapped', (_name, integrations) => {
    expect(mapProperties(baseTrack({ integrations }))).toEqual(coreProperties());
  });

  it.each<[string, () => JsonObject, Partial<Settings>]>([
    ['page', () => basePage('page'), { consolidatedPageCalls: true }],
    ['identify', () => baseIdentify(), PEOPLE],
    ['alias', () => baseAlias(), {}],
    ['group', () => baseGroup({ traits: { company_id: 'company-k6' } }), { groupIdentifierTraits: ['company_id'] }],
  ])('integrations.mixpanel === false skips a %s message', (_type, build, settings) => {
    expectSkipped(mapMessage({ ...build(), integrations: { mixpanel: false } }, options(settings)), 'disabled for Mixpanel by integrations');
  });
});

describe('legacy ids of old Segment libraries', () => {
  it('an alias without previousId/userId uses from/to', () => {
    const raw = { ...without(baseAlias(), 'previousId', 'userId'), from: 'anon-legacy-from-7', to: 'user-legacy-to-7' };
    expect(mapRecords(raw)).toEqual([
      {
        endpoint: '/import',
        record: { event: '$create_alias', properties: { distinct_id: 'anon-legacy-from-7', alias: 'user-legacy-to-7', token: TOKEN, time: TIME_MS, $insert_id: 'msg-alias-0001' } },
      },
    ]);
  });

  it.each<[string, JsonObject, string, string]>([
    ['previousId and userId win over from and to', { from: 'anon-from-8', to: 'user-to-8' }, 'anon-device-9c1e', USER_ID],
    ['a placeholder previousId falls back to from', { previousId: 'anonymous', from: 'anon-from-9' }, 'anon-from-9', USER_ID],
    ['only to replaces a missing userId', { userId: null, to: 'user-to-10' }, 'anon-device-9c1e', 'user-to-10'],
  ])('%s', (_name, overrides, existing, alias) => {
    const properties = (mapRecords(baseAlias(overrides))[0]!.record as { properties: JsonObject }).properties;
    expect([properties.distinct_id, properties.alias]).toEqual([existing, alias]);
  });

  it('an alias with neither previousId nor from is still rejected', () => {
    expectRejected(mapMessage({ ...without(baseAlias(), 'previousId'), to: 'user-to-11' }, options()), /previousId/);
  });

  it.each<[string, JsonObject, string]>([
    ['a message without anonymousId uses sessionId', { sessionId: 'session-legacy-12' }, 'session-legacy-12'],
    ['a placeholder anonymousId falls back to sessionId', { anonymousId: 'undefined', sessionId: 'session-legacy-13' }, 'session-legacy-13'],
    ['anonymousId wins over sessionId', { anonymousId: 'anon-real-14', sessionId: 'session-legacy-14' }, 'anon-real-14'],
  ])('%s (event distinct_id)', (_name, ids, distinctId) => {
    expect(mapProperties(without(baseTrack(ids), 'userId')).distinct_id).toBe(distinctId);
  });

  it('a legacy sessionId is the $device_id in simplified mode', () => {
    const properties = mapProperties(without(baseTrack({ sessionId: 'session-legacy-15' }), 'userId'), options({}, 'simplified'));
    expect([properties.distinct_id, properties.$device_id]).toEqual(['$device:session-legacy-15', 'session-legacy-15']);
  });

  it('an anonymous identify with only sessionId is sent with $distinct_id = sessionId', () => {
    expect(mapRecords(without(baseIdentify({ sessionId: 'session-legacy-16', traits: { plan: 'plan-k16' } }), 'userId'), options(PEOPLE))).toEqual([
      engage({ $set: { plan: 'plan-k16' } }, { $distinct_id: 'session-legacy-16' }),
    ]);
  });
});
