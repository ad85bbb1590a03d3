/** SPEC §4.6 (super properties from context.traits) and its §4.8 rules. */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { basePage, baseTrack, coreProperties, mapProperties, options } from '../../support/mapping.js';

function withTraits(traits: JsonObject, extra: JsonObject = {}): JsonObject {
  return baseTrack({ ...extra, context: { ...((extra.context as JsonObject | undefined) ?? {}), traits } });
}

describe('§4.6 setAllTraitsByDefault: true (default)', () => {
  it('§4.6 every trait of context.traits is attached to the event', () => {
    expect(mapProperties(withTraits({ plan: 'plan-gold', seats: 5, beta: false }))).toEqual(coreProperties({ plan: 'plan-gold', seats: 5, beta: false }));
  });

  it('§4.6 super properties are attached to page and screen events too', () => {
    expect(mapProperties(basePage('screen', { context: { traits: { plan: 'plan-gold' } } }))).toEqual(
      coreProperties({ $insert_id: 'msg-screen-0001', plan: 'plan-gold' }),
    );
  });

  it.each<[string, JsonObject, JsonObject]>([
    ['email → $email', { email: 'ada@example.com' }, { $email: 'ada@example.com' }],
    ['firstName / lastName → $first_name / $last_name and $name', { firstName: 'first-Ada', lastName: 'last-Lovelace' }, { $first_name: 'first-Ada', $last_name: 'last-Lovelace', $name: 'first-Ada last-Lovelace' }],
    ['name → $name (a one-word name is also $first_name, §4.9)', { name: 'name-Countess' }, { $first_name: 'name-Countess', $name: 'name-Countess' }],
    ['created → $created', { created: '2013-01-01T10:00:00Z' }, { $created: '2013-01-01T10:00:00' }],
    ['createdAt → $created', { createdAt: '2014-05-06T07:08:09Z' }, { $created: '2014-05-06T07:08:09' }],
    ['username → $username', { username: 'username-ada99' }, { $username: 'username-ada99' }],
    ['phone → $phone', { phone: '555-0100' }, { $phone: '555-0100' }],
    ['avatar → $avatar', { avatar: 'https://cdn.example.com/ada.png' }, { $avatar: 'https://cdn.example.com/ada.png' }],
  ])('§4.6 special trait %s, renamed as in §4.3', (_rule, traits, expected) => {
    expect(mapProperties(withTraits(traits))).toEqual(coreProperties(expected));
  });

  it('§4.6 an explicit event property with the same name wins over the trait', () => {
    expect(mapProperties(withTraits({ plan: 'plan-from-trait', seats: 5 }, { properties: { plan: 'plan-from-property' } }))).toEqual(
      coreProperties({ plan: 'plan-from-property', seats: 5 }),
    );
  });

  it('§4.6 an explicit $email property wins over the renamed email trait', () => {
    expect(mapProperties(withTraits({ email: 'trait@example.com' }, { properties: { $email: 'property@example.com' } }))).toEqual(
      coreProperties({ $email: 'property@example.com' }),
    );
  });

  it('§4.8 null traits are dropped', () => {
    expect(mapProperties(withTraits({ plan: null, seats: 5, email: null }))).toEqual(coreProperties({ seats: 5 }));
  });

  it('§4.8 no id property is added', () => {
    expect(mapProperties(withTraits({ plan: 'plan-gold' }))).toEqual(coreProperties({ plan: 'plan-gold' }));
  });

  it('§4.6 a trait id is passed like any other trait', () => {
    expect(mapProperties(withTraits({ id: 'trait-id-77' }))).toEqual(coreProperties({ id: 'trait-id-77' }));
  });

  it.each<[string, JsonObject]>([
    ['distinct_id', { distinct_id: 'distinct-from-trait' }],
    ['time', { time: 1 }],
    ['token', { token: 'token-from-trait' }],
    ['$insert_id', { $insert_id: 'insert-from-trait' }],
  ])('§4.8 the mapped field %s always wins over a trait', (_name, traits) => {
    expect(mapProperties(withTraits(traits))).toEqual(coreProperties());
  });

  it.each<[string, JsonObject, JsonObject, JsonObject]>([
    ['ip', { ip: '192.0.2.1' }, { ip: '203.0.113.9' }, { ip: '203.0.113.9' }],
    ['mp_lib', { mp_lib: 'lib-from-trait' }, { library: { name: 'lib-analytics-js' } }, { mp_lib: 'Segment: lib-analytics-js' }],
    ['$os', { $os: 'os-from-trait' }, { os: { name: 'os-name-ios' } }, { $os: 'os-name-ios' }],
    ['$city', { $city: 'city-from-trait' }, { location: { city: 'city-Lyon' } }, { $city: 'city-Lyon' }],
  ])('§4.8 the mapped field %s wins over a trait of the same name', (_name, traits, context, expected) => {
    expect(mapProperties(baseTrack({ context: { ...context, traits } }))).toEqual(coreProperties(expected));
  });

  it('§4.6 a context.traits that is not an object adds nothing', () => {
    expect(mapProperties(baseTrack({ context: { traits: ['not', 'an', 'object'] } }))).toEqual(coreProperties());
  });

  it('§4.6 message traits outside context are not super properties for a track', () => {
    expect(mapProperties(baseTrack({ traits: { plan: 'plan-gold' } }))).toEqual(coreProperties());
  });
});

describe('§4.6 / §4.8 setAllTraitsByDefault: false', () => {
  const TRAITS = { plan: 'plan-gold', Seats: 5, internal_note: 'note-secret', email: 'ada@example.com', firstName: 'first-Ada' };
  function restricted(overrides: Partial<Settings> = {}) {
    return options({ setAllTraitsByDefault: false, ...overrides });
  }

  it('§4.6 only traits in superProperties pass', () => {
    expect(mapProperties(withTraits(TRAITS), restricted({ superProperties: ['plan'] }))).toEqual(coreProperties({ plan: 'plan-gold' }));
  });

  it('§4.8 special traits are not added automatically', () => {
    expect(mapProperties(withTraits(TRAITS), restricted())).toEqual(coreProperties());
  });

  it('§4.8 peopleProperties do not make super properties', () => {
    expect(mapProperties(withTraits(TRAITS), restricted({ peopleProperties: ['plan', 'email'] }))).toEqual(coreProperties());
  });

  it('§4.6 a special trait listed in superProperties passes, renamed', () => {
    expect(mapProperties(withTraits(TRAITS), restricted({ superProperties: ['email'] }))).toEqual(coreProperties({ $email: 'ada@example.com' }));
  });

  it('§4.8 superProperties match case-insensitively; keys keep the message spelling', () => {
    expect(mapProperties(withTraits(TRAITS), restricted({ superProperties: ['SEATS', 'Plan'] }))).toEqual(coreProperties({ plan: 'plan-gold', Seats: 5 }));
  });

  it('§4.6 event properties are never filtered by superProperties', () => {
    expect(mapProperties(withTraits(TRAITS, { properties: { internal_note: 'note-from-property' } }), restricted({ superProperties: ['plan'] }))).toEqual(
      coreProperties({ plan: 'plan-gold', internal_note: 'note-from-property' }),
    );
  });
});
