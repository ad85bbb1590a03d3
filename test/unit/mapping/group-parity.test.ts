/**
 * Groups as decided after running Segment's classic code (SPEC §4.9, README "Mapping"): the
 * group key in the settings' spelling, a group call with only a groupId, null traits dropped.
 */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { baseGroup, engage, expectSkipped, groups, mapRecords, options, without } from '../../support/mapping.js';

function groupOptions(overrides: Partial<Settings>) {
  return options({ people: true, ...overrides });
}

describe('$group_key and the $union key use the settings spelling of K', () => {
  it.each<[string, string, JsonObject]>([
    ['snake-case setting, camel-case trait', 'company_id', { companyId: 'company-g1' }],
    ['camel-case setting, spaced trait', 'accountId', { 'Account ID': 'company-g2' }],
    ['upper-case setting, lower-case trait', 'ORG', { org: 'company-g3' }],
  ])('%s', (_rule, setting, traits) => {
    const groupId = Object.values(traits)[0]!;
    expect(mapRecords(baseGroup({ traits }), groupOptions({ groupIdentifierTraits: [setting] }))).toEqual([
      groups({ $group_key: setting, $group_id: groupId, $set: traits }),
      engage({ $union: { [setting]: [groupId] } }),
    ]);
  });

  it('K = groupId in another spelling means the message groupId, keyed as in the settings', () => {
    expect(mapRecords(baseGroup({ groupId: 'group-g4', traits: { plan: 'plan-g4' } }), groupOptions({ groupIdentifierTraits: ['group_id'] }))).toEqual([
      groups({ $group_key: 'group_id', $group_id: 'group-g4', $set: { plan: 'plan-g4' } }),
      engage({ $union: { group_id: ['group-g4'] } }),
    ]);
  });
});

describe('a group call with a groupId but no userId or anonymousId', () => {
  const raw = without(baseGroup({ groupId: 'group-g5', traits: { plan: 'plan-g5', seats: 9 } }), 'userId');

  it.each<[string, 'original' | 'simplified']>([
    ['original', 'original'],
    ['simplified', 'simplified'],
  ])('sends its /groups updates and no /engage update (%s mode)', (_name, identity) => {
    expect(mapRecords(raw, options({ people: true, groupIdentifierTraits: ['groupId'], groupTraitsToSetOnce: ['seats'] }, identity))).toEqual([
      groups({ $group_key: 'groupId', $group_id: 'group-g5', $set: { plan: 'plan-g5' } }),
      groups({ $group_key: 'groupId', $group_id: 'group-g5', $set_once: { seats: 9 } }),
    ]);
  });

  it('is skipped when no configured key is present ("no group identifier trait")', () => {
    expectSkipped(mapMessage(raw, groupOptions({ groupIdentifierTraits: ['company_id'] })), 'no group identifier trait');
  });
});

describe('null group traits are not sent', () => {
  it.each<[string, JsonObject, Partial<Settings>, JsonObject[]]>([
    ['dropped from $set', { company_id: 'company-g6', plan: null, seats: 6 }, {}, [{ $set: { company_id: 'company-g6', seats: 6 } }]],
    ['dropped from $set_once', { company_id: 'company-g7', founded: null, tier: 'tier-g7' }, { groupTraitsToSetOnce: ['founded', 'tier'] }, [{ $set: { company_id: 'company-g7' } }, { $set_once: { tier: 'tier-g7' } }]],
    ['no $set_once update when its only trait is null', { company_id: 'company-g8', founded: null }, { groupTraitsToSetOnce: ['founded'] }, [{ $set: { company_id: 'company-g8' } }]],
    ['a nested null is kept', { company_id: 'company-g9', address: { city: null } }, {}, [{ $set: { company_id: 'company-g9', address: { city: null } } }]],
  ])('%s', (_rule, traits, settings, operations) => {
    const records = mapRecords(baseGroup({ traits }), options({ groupIdentifierTraits: ['company_id'], ...settings }));
    const groupId = traits.company_id!;
    expect(records).toEqual(operations.map((operation) => groups({ $group_key: 'company_id', $group_id: groupId, ...operation })));
  });
});
