/** SPEC §4.5 (group → /groups and the user profile) and the group rules of §4.8. */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { ANONYMOUS_ID, baseGroup, engage, expectSkipped, groups, mapRecords, options, without } from '../../support/mapping.js';

const TRAITS = { company_id: 'company-id-881', name: 'group-name-Acme', industry: 'industry-retail', employees: 120 };

function groupOptions(overrides: Partial<Settings> = {}, identity: 'original' | 'simplified' = 'original') {
  return options({ groupIdentifierTraits: ['company_id'], ...overrides }, identity);
}

describe('§4.5 when a group call is sent', () => {
  it('§4.5 an empty groupIdentifierTraits skips the call ("no group identifier trait")', () => {
    expectSkipped(mapMessage(baseGroup({ traits: TRAITS }), options({ people: true })), 'no group identifier trait');
  });

  it('§4.5 no configured key present in the call skips it ("no group identifier trait")', () => {
    expectSkipped(mapMessage(baseGroup({ traits: TRAITS }), groupOptions({ groupIdentifierTraits: ['team_id'] })), 'no group identifier trait');
  });

  it.each<[string, JsonObject]>([
    ['null', { company_id: null }],
    ['an empty string', { company_id: '' }],
  ])('§4.5 a key trait that is %s counts as absent', (_name, traits) => {
    expectSkipped(mapMessage(baseGroup({ traits: { ...traits, industry: 'industry-retail' } }), groupOptions()), 'no group identifier trait');
  });

  it('§4.8 K = groupId without a message groupId skips the call', () => {
    expectSkipped(mapMessage(without(baseGroup({ traits: TRAITS }), 'groupId'), groupOptions({ groupIdentifierTraits: ['groupId'] })), 'no group identifier trait');
  });
});

describe('§4.5 /groups updates', () => {
  it('§4.5 a present key K gives {$token, $group_key: K, $group_id, $set: traits}, with the key trait in $set (§4.8)', () => {
    expect(mapRecords(baseGroup({ traits: TRAITS }), groupOptions())).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: TRAITS }),
    ]);
  });

  it('§4.8 K = groupId means the message groupId', () => {
    expect(mapRecords(baseGroup({ traits: { industry: 'industry-retail' } }), groupOptions({ groupIdentifierTraits: ['groupId'] }))).toEqual([
      groups({ $group_key: 'groupId', $group_id: 'group-acme-17', $set: { industry: 'industry-retail' } }),
    ]);
  });

  it('§4.5 a numeric group id is sent as a number', () => {
    expect(mapRecords(baseGroup({ traits: { company_id: 881, industry: 'industry-retail' } }), groupOptions())).toEqual([
      groups({ $group_key: 'company_id', $group_id: 881, $set: { company_id: 881, industry: 'industry-retail' } }),
    ]);
  });

  it('§4.5 each configured key present gives its own update', () => {
    const traits = { company_id: 'company-id-881', team_id: 'team-id-52', plan: 'plan-gold' };
    expect(mapRecords(baseGroup({ traits }), groupOptions({ groupIdentifierTraits: ['company_id', 'team_id', 'groupId', 'absent_key'] }))).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: traits }),
      groups({ $group_key: 'team_id', $group_id: 'team-id-52', $set: traits }),
      groups({ $group_key: 'groupId', $group_id: 'group-acme-17', $set: traits }),
    ]);
  });

  it('§4.8 / §4.9 groupIdentifierTraits match case-insensitively; $group_key is the settings spelling', () => {
    const traits = { CompanyId: 'company-id-881' };
    expect(mapRecords(baseGroup({ traits }), groupOptions({ groupIdentifierTraits: ['companyid'] }))).toEqual([
      groups({ $group_key: 'companyid', $group_id: 'company-id-881', $set: traits }),
    ]);
  });

  it('§4.5 group updates never carry $distinct_id (nor $time or $ip)', () => {
    const records = mapRecords(baseGroup({ traits: TRAITS, context: { ip: '203.0.113.9', active: false } }), groupOptions());
    expect(records).toEqual([groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: TRAITS })]);
  });

  it('§4.5 a group call is sent without any user (no $union, no $distinct_id)', () => {
    const raw = without(baseGroup({ traits: TRAITS, anonymousId: ANONYMOUS_ID }), 'userId');
    expect(mapRecords(raw, groupOptions({ people: true }))).toEqual([groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: TRAITS })]);
  });

  it('§4.8 ISO date-time traits are normalised to YYYY-MM-DDTHH:MM:SS in group updates', () => {
    const traits = { company_id: 'company-id-881', founded: '2001-02-03T04:05:06.700+01:00', renewal: { at: '2027-01-01T00:00:00Z' } };
    expect(mapRecords(baseGroup({ traits }), groupOptions())).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: { company_id: 'company-id-881', founded: '2001-02-03T03:05:06', renewal: { at: '2027-01-01T00:00:00' } } }),
    ]);
  });
});

describe('§4.5 groupTraitsToSetOnce', () => {
  it('§4.5 traits in groupTraitsToSetOnce go in a separate $set_once update', () => {
    const opts = groupOptions({ groupTraitsToSetOnce: ['industry', 'employees'] });
    expect(mapRecords(baseGroup({ traits: TRAITS }), opts)).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: { company_id: 'company-id-881', name: 'group-name-Acme' } }),
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set_once: { industry: 'industry-retail', employees: 120 } }),
    ]);
  });

  it('§4.8 groupTraitsToSetOnce match case-insensitively; keys keep the message spelling', () => {
    const traits = { company_id: 'company-id-881', Industry: 'industry-retail' };
    expect(mapRecords(baseGroup({ traits }), groupOptions({ groupTraitsToSetOnce: ['INDUSTRY'] }))).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: { company_id: 'company-id-881' } }),
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set_once: { Industry: 'industry-retail' } }),
    ]);
  });

  it('§4.8 no empty $set update is sent when every trait is set-once', () => {
    const opts = groupOptions({ groupIdentifierTraits: ['groupId'], groupTraitsToSetOnce: ['industry'] });
    expect(mapRecords(baseGroup({ traits: { industry: 'industry-retail' } }), opts)).toEqual([
      groups({ $group_key: 'groupId', $group_id: 'group-acme-17', $set_once: { industry: 'industry-retail' } }),
    ]);
  });

  it('§4.8 no empty $set_once update is sent when no trait is set-once', () => {
    const opts = groupOptions({ groupTraitsToSetOnce: ['founded'] });
    expect(mapRecords(baseGroup({ traits: TRAITS }), opts)).toEqual([groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: TRAITS })]);
  });

  it('§4.8 a groupId call without traits sends no empty /groups update (only the membership)', () => {
    const opts = groupOptions({ groupIdentifierTraits: ['groupId'], people: true });
    expect(mapRecords(baseGroup(), opts)).toEqual([engage({ $union: { groupId: ['group-acme-17'] } })]);
  });
});

describe('§4.5 user membership (/engage $union)', () => {
  it('§4.5 with people and a userId the user gets $union {K: [value]}', () => {
    const raw = baseGroup({ traits: TRAITS, context: { ip: '203.0.113.9', active: false } });
    expect(mapRecords(raw, groupOptions({ people: true }))).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: TRAITS }),
      engage({ $union: { company_id: ['company-id-881'] } }, { $ip: '203.0.113.9', $ignore_time: true }),
    ]);
  });

  it('§4.5 one $union per group key present', () => {
    const traits = { company_id: 'company-id-881' };
    expect(mapRecords(baseGroup({ traits }), groupOptions({ people: true, groupIdentifierTraits: ['company_id', 'groupId'] }))).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: traits }),
      groups({ $group_key: 'groupId', $group_id: 'group-acme-17', $set: traits }),
      engage({ $union: { company_id: ['company-id-881'] } }),
      engage({ $union: { groupId: ['group-acme-17'] } }),
    ]);
  });

  it('§4.5 without people there is no $union', () => {
    expect(mapRecords(baseGroup({ traits: TRAITS }), groupOptions({ people: false })).map((r) => r.endpoint)).toEqual(['/groups']);
  });

  it('§5 in simplified mode the $union uses $distinct_id = userId', () => {
    const raw = baseGroup({ traits: TRAITS, anonymousId: ANONYMOUS_ID });
    expect(mapRecords(raw, groupOptions({ people: true }, 'simplified'))).toEqual([
      groups({ $group_key: 'company_id', $group_id: 'company-id-881', $set: TRAITS }),
      engage({ $union: { company_id: ['company-id-881'] } }),
    ]);
  });
});
