/** SPEC §5: identity modes (original and simplified ID merge). */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import {
  ANONYMOUS_ID,
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
  mapProperties,
  mapRecords,
  options,
  without,
} from '../../support/mapping.js';

const SIMPLIFIED = options({}, 'simplified');

describe('§5 original mode (default)', () => {
  it('§5 an event carries distinct_id = userId and no $device_id / $user_id', () => {
    expect(mapProperties(baseTrack({ anonymousId: ANONYMOUS_ID }))).toEqual(coreProperties());
  });

  it('§5 an anonymous event carries distinct_id = anonymousId and no $device_id', () => {
    expect(mapProperties(without(baseTrack({ anonymousId: ANONYMOUS_ID }), 'userId'))).toEqual(coreProperties({ distinct_id: ANONYMOUS_ID }));
  });
});

describe('§5 simplified mode events', () => {
  it.each<[string, JsonObject, JsonObject]>([
    ['both ids: distinct_id = userId, $device_id = anonymousId, $user_id = userId', { userId: USER_ID, anonymousId: ANONYMOUS_ID }, { distinct_id: USER_ID, $device_id: ANONYMOUS_ID, $user_id: USER_ID }],
    ['userId only: distinct_id = userId, $user_id = userId, no $device_id', { userId: USER_ID }, { distinct_id: USER_ID, $user_id: USER_ID }],
    ['anonymousId only: distinct_id = "$device:" + anonymousId, $device_id, no $user_id', { anonymousId: ANONYMOUS_ID }, { distinct_id: `$device:${ANONYMOUS_ID}`, $device_id: ANONYMOUS_ID }],
    ['a placeholder userId counts as absent', { userId: 'unknown', anonymousId: ANONYMOUS_ID }, { distinct_id: `$device:${ANONYMOUS_ID}`, $device_id: ANONYMOUS_ID }],
    ['a placeholder anonymousId counts as absent', { userId: USER_ID, anonymousId: '00000000-0000-0000-0000-000000000000' }, { distinct_id: USER_ID, $user_id: USER_ID }],
    ['numeric ids are strings', { userId: 42, anonymousId: 77 }, { distinct_id: '42', $device_id: '77', $user_id: '42' }],
  ])('§5 track with %s', (_rule, ids, identity) => {
    const raw = { ...without(baseTrack(), 'userId'), ...ids };
    expect(mapProperties(raw, SIMPLIFIED)).toEqual(coreProperties(identity));
  });

  it.each(['page', 'screen'] as const)('§5 a %s event carries $device_id and $user_id too', (type) => {
    const raw = basePage(type, { anonymousId: ANONYMOUS_ID });
    expect(mapProperties(raw, SIMPLIFIED)).toEqual(
      coreProperties({ $insert_id: `msg-${type}-0001`, distinct_id: USER_ID, $device_id: ANONYMOUS_ID, $user_id: USER_ID }),
    );
  });

  it('§5 an event with neither id is rejected', () => {
    expectRejected(mapMessage(without(baseTrack(), 'userId'), SIMPLIFIED), /distinct id/);
  });

  it('§5 user properties cannot override the identity properties', () => {
    const raw = baseTrack({ anonymousId: ANONYMOUS_ID, properties: { distinct_id: 'd-from-props', $device_id: 'dev-from-props', $user_id: 'u-from-props' } });
    expect(mapProperties(raw, SIMPLIFIED)).toEqual(coreProperties({ distinct_id: USER_ID, $device_id: ANONYMOUS_ID, $user_id: USER_ID }));
  });
});

describe('§5 simplified mode profiles', () => {
  it('§5 identify uses $distinct_id = userId even with an anonymousId', () => {
    expect(mapRecords(baseIdentify({ anonymousId: ANONYMOUS_ID, traits: { plan: 'plan-gold' } }), options({ people: true }, 'simplified'))).toEqual([
      engage({ $set: { plan: 'plan-gold' } }),
    ]);
  });

  it('§5 identify without userId is skipped ("anonymous profile"), never sent as "$device:…"', () => {
    const raw = without(baseIdentify({ anonymousId: ANONYMOUS_ID, traits: { plan: 'plan-gold' } }), 'userId');
    expectSkipped(mapMessage(raw, options({ people: true }, 'simplified')), 'anonymous profile');
  });

  it('§5 identify without people is still skipped ("people disabled")', () => {
    expectSkipped(mapMessage(baseIdentify({ traits: { plan: 'plan-gold' } }), SIMPLIFIED), 'people disabled');
  });
});

describe('§5 never $identify, $create_alias or $merge in simplified mode', () => {
  const ALL: Array<[string, JsonObject]> = [
    ['track', baseTrack({ anonymousId: ANONYMOUS_ID })],
    ['page', basePage('page', { anonymousId: ANONYMOUS_ID })],
    ['identify', baseIdentify({ anonymousId: ANONYMOUS_ID, traits: { plan: 'plan-gold' } })],
    ['group', baseGroup({ anonymousId: ANONYMOUS_ID, traits: { industry: 'industry-retail' } })],
  ];

  it.each(ALL)('§5 a %s call yields no identity event', (_type, raw) => {
    const records = expectMapped(mapMessage(raw, options({ people: true, groupIdentifierTraits: ['groupId'] }, 'simplified')));
    const events = records.filter((r) => r.endpoint === '/import').map((r) => (r.record as { event: string }).event);
    expect(events.filter((e) => ['$identify', '$create_alias', '$merge'].includes(e))).toEqual([]);
  });

  it('§5 an alias call yields nothing (skipped)', () => {
    expectSkipped(mapMessage(baseAlias(), SIMPLIFIED), 'alias has no effect with simplified ID merge');
  });

  it.each(['$identify', '$create_alias', '$merge'])('§5 a track named %s is not sent in simplified mode (it would fail the whole batch)', (event) => {
    const result = mapMessage(baseTrack({ event, anonymousId: ANONYMOUS_ID }), SIMPLIFIED);
    expect(['rejected', 'skipped']).toContain(result.outcome);
  });
});
