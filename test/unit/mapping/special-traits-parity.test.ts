/**
 * Special traits as Segment's classic code read them (SPEC §4.9, README "Mapping"): trimmed
 * strings, empty ones not sent, `$first_name`/`$last_name` from `name`, `$email` from an
 * e-mail-shaped userId, `$phone` from `phones[0]`, and no `$created` (a warning) for a
 * `created` that is not a date. Checked on the identify `$set` and on super properties.
 */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { CREATED_NOT_A_DATE } from '../../../src/mapping/classic/special-traits.js';
import { baseIdentify, baseTrack, coreProperties, engage, expectMapped, mapProperties, mapRecords, options } from '../../support/mapping.js';

const PEOPLE = options({ people: true });

/** [rule, traits, the special part of $set / of the super properties]. */
const ROWS: Array<[string, JsonObject, JsonObject]> = [
  ['string values are trimmed', { email: '  trim-a@example.com ', username: '\tuser-trim-b\n' }, { $email: 'trim-a@example.com', $username: 'user-trim-b' }],
  ['an empty special trait is not sent', { email: '', phone: 'p', avatar: '' }, { $phone: 'p' }],
  ['a special trait that is only spaces is not sent', { email: '   ', username: ' ' }, {}],
  ['a non-string special trait is sent as it is', { phone: 4420794600, username: true }, { $username: true, $phone: 4420794600 }],
  ['$first_name and $last_name come from the words of name', { name: 'Grace Brewster Hopper' }, { $first_name: 'Grace', $last_name: 'Brewster Hopper', $name: 'Grace Brewster Hopper' }],
  ['a trimmed name is split', { name: '  Alan   Turing  ' }, { $first_name: 'Alan', $last_name: 'Turing', $name: 'Alan   Turing' }],
  ['a one-word name gives no $last_name', { name: 'Plato' }, { $first_name: 'Plato', $name: 'Plato' }],
  ['firstName wins over the split name', { name: 'Edsger Dijkstra', firstName: 'first-Edsger-W' }, { $first_name: 'first-Edsger-W', $last_name: 'Dijkstra', $name: 'Edsger Dijkstra' }],
  ['lastName wins over the split name', { name: 'Barbara Liskov', last_name: 'last-Liskov-J' }, { $first_name: 'Barbara', $last_name: 'last-Liskov-J', $name: 'Barbara Liskov' }],
  ['an empty firstName falls back to the split name', { name: 'Ken Thompson', firstName: ' ' }, { $first_name: 'Ken', $last_name: 'Thompson', $name: 'Ken Thompson' }],
  ['an empty name does not hide firstName lastName', { name: '', firstName: 'first-Dennis', lastName: 'last-Ritchie' }, { $first_name: 'first-Dennis', $last_name: 'last-Ritchie', $name: 'first-Dennis last-Ritchie' }],
  ['$name from trimmed firstName and lastName', { firstName: ' first-Ada ', lastName: ' last-Byron ' }, { $first_name: 'first-Ada', $last_name: 'last-Byron', $name: 'first-Ada last-Byron' }],
  ['$phone comes from phones[0] without a phone trait; phones stays', { phones: [' +1-555-0101 ', '+1-555-0102'] }, { phones: [' +1-555-0101 ', '+1-555-0102'], $phone: '+1-555-0101' }],
  ['a phone trait wins over phones', { phones: ['+1-555-0103'], phone: '+1-555-0104' }, { phones: ['+1-555-0103'], $phone: '+1-555-0104' }],
  ['an empty phones list gives no $phone', { phones: [] }, { phones: [] }],
  ['a Phones list matches like any Segment key', { Phones: ['+1-555-0105'] }, { Phones: ['+1-555-0105'], $phone: '+1-555-0105' }],
  ['a valid created gives $created', { created: '2024-05-06T07:08:09Z' }, { $created: '2024-05-06T07:08:09' }],
  ['an epoch-seconds createdAt gives $created', { createdAt: 1714979289 }, { $created: '2024-05-06T07:08:09' }],
  ['a created that is not a date gives no $created', { created: 'last tuesday' }, {}],
  ['a createdAt that is an object gives no $created', { createdAt: { when: 'soon' } }, {}],
];

/** The rows whose traits hold a `created`/`createdAt` that is not a date. */
const NOT_A_DATE = new Set(['a created that is not a date gives no $created', 'a createdAt that is an object gives no $created']);

describe('special traits on the identify $set', () => {
  it.each(ROWS)('%s', (rule, traits, special) => {
    const result = mapMessage(baseIdentify({ userId: 'user-st-1', traits: { plan: 'plan-st', ...traits } }), PEOPLE);
    expect(expectMapped(result)).toEqual([engage({ $set: { plan: 'plan-st', ...special } }, { $distinct_id: 'user-st-1' })]);
    expect(result.outcome === 'mapped' && result.warnings).toEqual(NOT_A_DATE.has(rule) ? [CREATED_NOT_A_DATE] : []);
  });

  it.each<[string, JsonObject, JsonObject]>([
    ['an e-mail-shaped userId gives $email without an email trait', {}, { $email: 'grace@navy.example.mil' }],
    ['an email trait wins over the userId', { email: 'trait-mail@example.org' }, { $email: 'trait-mail@example.org' }],
    ['an empty email trait falls back to the userId', { email: ' ' }, { $email: 'grace@navy.example.mil' }],
  ])('%s', (_rule, traits, special) => {
    expect(mapRecords(baseIdentify({ userId: 'grace@navy.example.mil', traits: { plan: 'plan-e1', ...traits } }), PEOPLE)).toEqual([
      engage({ $set: { plan: 'plan-e1', ...special } }, { $distinct_id: 'grace@navy.example.mil' }),
    ]);
  });

  it.each(['user-no-at', 'two@@example.com', 'spaced name@example.com', 'no-dot@localhost'])('userId %j is not e-mail-shaped: no $email', (userId) => {
    expect(mapRecords(baseIdentify({ userId, traits: { plan: 'plan-e2' } }), PEOPLE)).toEqual([engage({ $set: { plan: 'plan-e2' } }, { $distinct_id: userId })]);
  });

  it('an e-mail-shaped userId is a special trait: it passes with setAllTraitsByDefault false', () => {
    const opts = options({ people: true, setAllTraitsByDefault: false, peopleProperties: ['plan'] });
    expect(mapRecords(baseIdentify({ userId: 'ada@example.net', traits: { plan: 'plan-e3', seats: 4 } }), opts)).toEqual([
      engage({ $set: { plan: 'plan-e3', $email: 'ada@example.net' } }, { $distinct_id: 'ada@example.net' }),
    ]);
  });
});

describe('special traits on super properties (context.traits)', () => {
  it.each(ROWS)('%s', (rule, traits, special) => {
    const result = mapMessage(baseTrack({ userId: 'user-st-2', context: { traits: { plan: 'plan-sp', ...traits } } }), options());
    const records = expectMapped(result);
    expect((records[0]!.record as { properties: JsonObject }).properties).toEqual(coreProperties({ distinct_id: 'user-st-2', plan: 'plan-sp', ...special }));
    expect(result.outcome === 'mapped' && result.warnings).toEqual(NOT_A_DATE.has(rule) ? [CREATED_NOT_A_DATE] : []);
  });

  it.each<[string, JsonObject, Partial<Settings>, JsonObject]>([
    ['an e-mail-shaped userId gives $email on the event', { context: { traits: { plan: 'plan-sp2' } } }, {}, { plan: 'plan-sp2', $email: 'lin@example.com' }],
    ['even without context.traits', {}, {}, { $email: 'lin@example.com' }],
    ['not with setAllTraitsByDefault false and email not listed', {}, { setAllTraitsByDefault: false, superProperties: ['plan'] }, {}],
    ['with setAllTraitsByDefault false and email listed', {}, { setAllTraitsByDefault: false, superProperties: ['email'] }, { $email: 'lin@example.com' }],
    ['an explicit event property wins', { properties: { $email: 'event-prop@example.com' } }, {}, { $email: 'event-prop@example.com' }],
  ])('%s', (_rule, overrides, settings, added) => {
    expect(mapProperties(baseTrack({ userId: 'lin@example.com', ...overrides }), options(settings))).toEqual(coreProperties({ distinct_id: 'lin@example.com', ...added }));
  });
});
