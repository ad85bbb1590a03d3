/** SPEC §4.3 (identify → /engage) and the profile rules of §4.8. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { ANONYMOUS_ID, TIME_MS, TOKEN, USER_ID, baseIdentify, engage, expectSkipped, mapRecords, options, without } from '../../support/mapping.js';

const PEOPLE = options({ people: true });
const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';

describe('§4.3 identify needs "Use Mixpanel People"', () => {
  it('§4.3 without people the identify is skipped ("people disabled")', () => {
    expectSkipped(mapMessage(baseIdentify({ traits: { plan: 'plan-gold' } }), options({ people: false })), 'people disabled');
  });

  it('§4.3 with people the identify is one /engage $set update with $token, $distinct_id, $time (ms), $ip and $set', () => {
    const raw = baseIdentify({ traits: { plan: 'plan-gold' }, context: { ip: '203.0.113.9' } });
    expect(mapRecords(raw, PEOPLE)).toEqual([
      { endpoint: '/engage', record: { $token: TOKEN, $distinct_id: USER_ID, $time: TIME_MS, $ip: '203.0.113.9', $set: { plan: 'plan-gold' } } },
    ]);
  });
});

describe('§4.3 / §4.8 $ip and $ignore_time', () => {
  it.each<[string, JsonObject, string]>([
    ['context.ip', { ip: '198.51.100.23' }, '198.51.100.23'],
    ['"0" when context.ip is absent', {}, '0'],
    ['"0" when context.ip is 0 (always a string)', { ip: 0 }, '0'],
    ['"0" when context.ip is "0"', { ip: '0' }, '0'],
    ['"0" when context.ip is null', { ip: null }, '0'],
  ])('§4.8 $ip is %s', (_name, context, ip) => {
    expect(mapRecords(baseIdentify({ traits: { plan: 'plan-gold' }, context }), PEOPLE)).toEqual([engage({ $set: { plan: 'plan-gold' } }, { $ip: ip })]);
  });

  it('§4.3 $ignore_time is true when context.active === false', () => {
    expect(mapRecords(baseIdentify({ traits: { plan: 'plan-gold' }, context: { active: false } }), PEOPLE)).toEqual([
      engage({ $set: { plan: 'plan-gold' } }, { $ignore_time: true }),
    ]);
  });

  it.each<[string, JsonObject]>([
    ['context.active is true', { active: true }],
    ['context.active is absent', {}],
    ['context.active is null', { active: null }],
    ['context.active is "false" (a string)', { active: 'false' }],
  ])('§4.3 $ignore_time is absent when %s', (_name, context) => {
    expect(mapRecords(baseIdentify({ traits: { plan: 'plan-gold' }, context }), PEOPLE)).toEqual([engage({ $set: { plan: 'plan-gold' } })]);
  });
});

describe('§4.3 $set content', () => {
  /** [rule, traits, expected $set]. */
  const SPECIAL: Array<[string, JsonObject, JsonObject]> = [
    ['created → $created (YYYY-MM-DDTHH:MM:SS)', { created: '2024-02-03T04:05:06Z' }, { $created: '2024-02-03T04:05:06' }],
    ['createdAt → $created', { createdAt: '2024-02-03T04:05:06.789Z' }, { $created: '2024-02-03T04:05:06' }],
    ['email → $email', { email: 'ada@example.com' }, { $email: 'ada@example.com' }],
    ['firstName → $first_name', { firstName: 'first-Ada' }, { $first_name: 'first-Ada' }],
    ['lastName → $last_name', { lastName: 'last-Lovelace' }, { $last_name: 'last-Lovelace' }],
    ['name → $name (a one-word name is also $first_name, §4.9)', { name: 'name-Countess' }, { $first_name: 'name-Countess', $name: 'name-Countess' }],
    ['username → $username', { username: 'username-ada99' }, { $username: 'username-ada99' }],
    ['phone → $phone', { phone: '+44-20-7946-0000' }, { $phone: '+44-20-7946-0000' }],
    ['avatar → $avatar', { avatar: 'https://cdn.example.com/ada.png' }, { $avatar: 'https://cdn.example.com/ada.png' }],
    [
      '$name is "firstName lastName" when only those exist',
      { firstName: 'first-Ada', lastName: 'last-Lovelace' },
      { $first_name: 'first-Ada', $last_name: 'last-Lovelace', $name: 'first-Ada last-Lovelace' },
    ],
    [
      '$name comes from name first, even with firstName and lastName',
      { name: 'name-Countess', firstName: 'first-Ada', lastName: 'last-Lovelace' },
      { $first_name: 'first-Ada', $last_name: 'last-Lovelace', $name: 'name-Countess' },
    ],
    ['$name is absent with only firstName', { firstName: 'first-Ada' }, { $first_name: 'first-Ada' }],
    ['$name is absent with only lastName', { lastName: 'last-Lovelace' }, { $last_name: 'last-Lovelace' }],
    ['other traits pass unchanged', { plan: 'plan-gold', seats: 5, beta: true, tags: ['tag-a'] }, { plan: 'plan-gold', seats: 5, beta: true, tags: ['tag-a'] }],
    ['first_name (punctuation) is a special trait', { first_name: 'first-Ada' }, { $first_name: 'first-Ada' }],
    ['"Last Name" (space, case) is a special trait', { 'Last Name': 'last-Lovelace' }, { $last_name: 'last-Lovelace' }],
    ['created_at is createdAt', { created_at: '2024-02-03T04:05:06Z' }, { $created: '2024-02-03T04:05:06' }],
    ['Email is email', { Email: 'ada@example.com' }, { $email: 'ada@example.com' }],
  ];

  it.each(SPECIAL)('§4.3 %s; the original Segment key is removed', (_rule, traits, $set) => {
    expect(mapRecords(baseIdentify({ traits }), PEOPLE)).toEqual([engage({ $set })]);
  });

  it('§4.3 all special traits together are renamed and the originals removed', () => {
    const traits = {
      created: '2013-01-01',
      email: 'ada@example.com',
      firstName: 'first-Ada',
      lastName: 'last-Lovelace',
      username: 'username-ada99',
      phone: '555-0100',
      avatar: 'https://cdn.example.com/ada.png',
      company: 'company-Analytical',
    };
    expect(mapRecords(baseIdentify({ traits }), PEOPLE)).toEqual([
      engage({
        $set: {
          company: 'company-Analytical',
          $created: '2013-01-01T00:00:00',
          $email: 'ada@example.com',
          $first_name: 'first-Ada',
          $last_name: 'last-Lovelace',
          $name: 'first-Ada last-Lovelace',
          $username: 'username-ada99',
          $phone: '555-0100',
          $avatar: 'https://cdn.example.com/ada.png',
        },
      }),
    ]);
  });

  it('§4.3 no id property is added to $set', () => {
    expect(mapRecords(baseIdentify({ traits: { plan: 'plan-gold' } }), PEOPLE)).toEqual([engage({ $set: { plan: 'plan-gold' } })]);
  });

  it('§4.3 an identify without traits still sends its (empty) $set', () => {
    expect(mapRecords(baseIdentify(), PEOPLE)).toEqual([engage({ $set: {} })]);
  });
});

describe('§3 / §4.3 setAllTraitsByDefault: false', () => {
  const traits = { plan: 'plan-gold', Seats: 5, internal_note: 'note-secret', email: 'ada@example.com', firstName: 'first-Ada' };

  it('§4.3 only peopleProperties and special traits pass', () => {
    const opts = options({ people: true, setAllTraitsByDefault: false, peopleProperties: ['plan'] });
    expect(mapRecords(baseIdentify({ traits }), opts)).toEqual([engage({ $set: { plan: 'plan-gold', $email: 'ada@example.com', $first_name: 'first-Ada' } })]);
  });

  it('§4.8 peopleProperties match case-insensitively; keys keep the spelling of the message', () => {
    const opts = options({ people: true, setAllTraitsByDefault: false, peopleProperties: ['PLAN', 'seats'] });
    expect(mapRecords(baseIdentify({ traits }), opts)).toEqual([
      engage({ $set: { plan: 'plan-gold', Seats: 5, $email: 'ada@example.com', $first_name: 'first-Ada' } }),
    ]);
  });

  it('§4.3 with an empty peopleProperties only special traits pass', () => {
    const opts = options({ people: true, setAllTraitsByDefault: false });
    expect(mapRecords(baseIdentify({ traits }), opts)).toEqual([engage({ $set: { $email: 'ada@example.com', $first_name: 'first-Ada' } })]);
  });

  it('§4.3 with setAllTraitsByDefault true, peopleProperties does not restrict', () => {
    const opts = options({ people: true, setAllTraitsByDefault: true, peopleProperties: ['plan'] });
    expect(mapRecords(baseIdentify({ traits }), opts)).toEqual([
      engage({ $set: { plan: 'plan-gold', Seats: 5, internal_note: 'note-secret', $email: 'ada@example.com', $first_name: 'first-Ada' } }),
    ]);
  });
});

describe('§4.3 / §4.8 profile device context', () => {
  const FULL_CONTEXT = {
    ip: '203.0.113.9',
    library: { name: 'lib-analytics-ios', version: 'lib-version-4.1' },
    page: { url: 'https://shop.example.com/p/1', referrer: 'https://ref-b.example.net/y' },
    referrer: { url: 'https://ref-a.example.org/x' },
    os: { name: 'os-name-ios', version: 'os-version-17.2' },
    userAgent: CHROME_UA,
    device: { name: 'device-name-maguro', manufacturer: 'maker-Apple', model: 'model-iPhone15,3' },
    screen: { width: 393, height: 852, density: 3 },
    app: { version: 'app-version-4.2.1', build: 'app-build-4021' },
    network: { carrier: 'carrier-Orange', wifi: false, bluetooth: true },
    location: { city: 'city-Lyon', region: 'region-ARA', country: 'FR' },
    campaign: { source: 'src-newsletter', medium: 'med-email', name: 'cmp-spring-sale', term: 'term-shoes', content: 'content-banner' },
    locale: 'fr-FR',
  };

  it('§4.8 exactly the 15 device properties are added; no URLs, campaign, geo or mp_lib', () => {
    expect(mapRecords(baseIdentify({ traits: { plan: 'plan-gold' }, context: FULL_CONTEXT }), PEOPLE)).toEqual([
      engage(
        {
          $set: {
            plan: 'plan-gold',
            $os: 'os-name-ios',
            $os_version: 'os-version-17.2',
            $browser: 'Chrome',
            $browser_version: '141.0.0.0',
            $device: 'device-name-maguro',
            $manufacturer: 'maker-Apple',
            $model: 'model-iPhone15,3',
            $screen_width: 393,
            $screen_height: 852,
            $screen_dpi: 3,
            $carrier: 'carrier-Orange',
            $wifi: false,
            $bluetooth_enabled: true,
            $app_version_string: 'app-version-4.2.1',
            $app_build_number: 'app-build-4021',
          },
        },
        { $ip: '203.0.113.9' },
      ),
    ]);
  });

  it.each<[string, JsonObject, JsonObject]>([
    ['$os / $os_version from context.os', { os: { name: 'os-name-android', version: 'os-version-14' } }, { $os: 'os-name-android', $os_version: 'os-version-14' }],
    ['$browser / $browser_version from the user agent', { userAgent: CHROME_UA }, { $browser: 'Chrome', $browser_version: '141.0.0.0' }],
    ['$device / $manufacturer / $model from context.device', { device: { name: 'device-name-x', manufacturer: 'maker-Google', model: 'model-Pixel-8' } }, { $device: 'device-name-x', $manufacturer: 'maker-Google', $model: 'model-Pixel-8' }],
    ['$screen_* from context.screen', { screen: { width: 1080, height: 2400, density: 2.75 } }, { $screen_width: 1080, $screen_height: 2400, $screen_dpi: 2.75 }],
    ['$carrier / $wifi / $bluetooth_enabled from context.network', { network: { carrier: 'carrier-Vodafone', wifi: true, bluetooth: false } }, { $carrier: 'carrier-Vodafone', $wifi: true, $bluetooth_enabled: false }],
    ['$app_version_string / $app_build_number from context.app', { app: { version: 'app-version-9.9', build: 'app-build-990' } }, { $app_version_string: 'app-version-9.9', $app_build_number: 'app-build-990' }],
    ['nothing from location, campaign or page', { location: { city: 'city-Lyon', country: 'FR' }, campaign: { name: 'cmp-x' }, page: { url: 'https://a.example/' } }, {}],
  ])('§4.8 profile device context: %s', (_name, context, added) => {
    expect(mapRecords(baseIdentify({ context }), PEOPLE)).toEqual([engage({ $set: added })]);
  });
});

describe('§4.3 push token', () => {
  it('§4.3 context.device.token → a second update $union {"$ios_devices": [token]}', () => {
    const raw = baseIdentify({ traits: { plan: 'plan-gold' }, context: { ip: '203.0.113.9', active: false, device: { token: 'push-token-ff15bc' } } });
    expect(mapRecords(raw, PEOPLE)).toEqual([
      engage({ $set: { plan: 'plan-gold' } }, { $ip: '203.0.113.9', $ignore_time: true }),
      engage({ $union: { $ios_devices: ['push-token-ff15bc'] } }, { $ip: '203.0.113.9', $ignore_time: true }),
    ]);
  });

  it('§4.3 without a device token there is no $union', () => {
    expect(mapRecords(baseIdentify({ context: { device: { model: 'model-Pixel-8' } } }), PEOPLE)).toEqual([engage({ $set: { $model: 'model-Pixel-8' } })]);
  });
});

describe('§4.3 / §4.8 profile distinct id', () => {
  it('§4.8 original mode: $distinct_id is the userId when both ids exist', () => {
    expect(mapRecords(baseIdentify({ anonymousId: ANONYMOUS_ID }), PEOPLE)).toEqual([engage({ $set: {} })]);
  });

  it('§4.3 anonymous-only identify in original mode is sent with $distinct_id = anonymousId', () => {
    const raw = without(baseIdentify({ anonymousId: ANONYMOUS_ID, traits: { plan: 'plan-gold' } }), 'userId');
    expect(mapRecords(raw, PEOPLE)).toEqual([engage({ $set: { plan: 'plan-gold' } }, { $distinct_id: ANONYMOUS_ID })]);
  });

  it('§4.3 anonymous-only identify in simplified mode is skipped ("anonymous profile")', () => {
    const raw = without(baseIdentify({ anonymousId: ANONYMOUS_ID, traits: { plan: 'plan-gold' } }), 'userId');
    expectSkipped(mapMessage(raw, options({ people: true }, 'simplified')), 'anonymous profile');
  });

  it('§4.8 a placeholder userId counts as absent on an identify', () => {
    const raw = baseIdentify({ userId: 'anonymous', anonymousId: ANONYMOUS_ID });
    expect(mapRecords(raw, PEOPLE)).toEqual([engage({ $set: {} }, { $distinct_id: ANONYMOUS_ID })]);
  });

  it('§4.8 a numeric userId is sent as a string', () => {
    expect(mapRecords(baseIdentify({ userId: 999999 }), PEOPLE)).toEqual([engage({ $set: {} }, { $distinct_id: '999999' })]);
  });

  it('§4.8 $time is the message time in ms, not the run start', () => {
    const raw = baseIdentify({ timestamp: '2020-05-06T07:08:09.010Z' });
    expect(mapRecords(raw, PEOPLE)).toEqual([engage({ $set: {} }, { $time: Date.UTC(2020, 4, 6, 7, 8, 9, 10) })]);
  });
});
