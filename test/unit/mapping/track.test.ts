/** SPEC §4.1: track → one /import event; and the §4.8 rules on its mapped fields. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { TIME_MS, TOKEN, USER_ID, baseTrack, coreProperties, mapEvent, mapProperties, mapRecords, options } from '../../support/mapping.js';

const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:143.0) Gecko/20100101 Firefox/143.0';

describe('§4.1 track → one /import event', () => {
  it('§4.1 the event is {event, properties} with time, distinct_id, $insert_id and token, sent to /import', () => {
    expect(mapRecords(baseTrack({ properties: { plan: 'plan-gold', seats: 3 } }))).toEqual([
      {
        endpoint: '/import',
        record: {
          event: 'Order Completed',
          properties: { time: TIME_MS, distinct_id: USER_ID, $insert_id: 'msg-track-0001', token: TOKEN, ip: '0', plan: 'plan-gold', seats: 3 },
        },
      },
    ]);
  });

  it('§4.1 the event name is the message event, verbatim', () => {
    expect(mapEvent(baseTrack({ event: '  logged In!  ' })).event).toBe('  logged In!  ');
  });

  it('§4.1 token comes from the options (settings), not from the message', () => {
    expect(mapProperties(baseTrack({ properties: { token: 'token-from-message' } }), { ...options(), token: 'token-from-settings' }).token).toBe('token-from-settings');
  });
});

/** §4.1 table rows: [rule, message overrides, mapped properties added to the core ones]. */
const TABLE_ROWS: Array<[string, JsonObject, JsonObject]> = [
  ['§4.1 ip comes from context.ip', { context: { ip: '203.0.113.9' } }, { ip: '203.0.113.9' }],
  ['§4.1 an ip of 0 is sent as 0 (Mixpanel skips geolocation)', { context: { ip: 0 } }, { ip: 0 }],
  ['§4.1 an ip of "0" is sent as "0"', { context: { ip: '0' } }, { ip: '0' }],
  ['§4.1 no context.ip → ip "0" (not the replaying machine\'s address)', { context: {} }, { ip: '0' }],
  ['§4.1 an empty context.ip → ip "0"', { context: { ip: '' } }, { ip: '0' }],
  ['§4.1 no context.ip keeps the message\'s own ip property', { context: {}, properties: { ip: '192.0.2.77' } }, { ip: '192.0.2.77' }],
  ['§4.1 context.ip wins over the message\'s own ip property', { context: { ip: '192.0.2.78' }, properties: { ip: '192.0.2.79' } }, { ip: '192.0.2.78' }],
  ['§4.9 context.Mixpanel.ignoreIp gives ip "0" despite context.ip', { context: { ip: '192.0.2.80', Mixpanel: { ignoreIp: true } } }, { ip: '0' }],
  ['§4.9 ignoreIp gives ip "0" over the message\'s own ip property', { context: { Mixpanel: { ignoreIp: true } }, properties: { ip: '192.0.2.81' } }, { ip: '0' }],
  ['§4.9 context.mixpanel.ignore_ip matches like any Segment key', { context: { ip: '192.0.2.82', mixpanel: { ignore_ip: true } } }, { ip: '0' }],
  ['§4.9 ignoreIp other than true is ignored', { context: { ip: '192.0.2.83', Mixpanel: { ignoreIp: 'yes' } } }, { ip: '192.0.2.83' }],
  ['§4.1 mp_lib is "Segment: " + context.library.name', { context: { library: { name: 'analytics-node', version: '2.1.0' } } }, { mp_lib: 'Segment: analytics-node' }],
  ['§4.8 mp_lib is omitted when context.library.name is absent', { context: { library: { version: '2.1.0' } } }, {}],
  ['§4.1 $current_url comes from context.page.url', { context: { page: { url: 'https://shop.example.com/cart' } } }, { $current_url: 'https://shop.example.com/cart' }],
  [
    '§4.1 $referrer comes from context.referrer.url first; $referring_domain is its host',
    { context: { referrer: { url: 'https://ref-a.example.org/x' }, page: { referrer: 'https://ref-b.example.net/y' } }, properties: { referrer: 'https://ref-c.example.com/z' } },
    { $referrer: 'https://ref-a.example.org/x', $referring_domain: 'ref-a.example.org' },
  ],
  [
    '§4.1 $referrer falls back to context.page.referrer',
    { context: { page: { referrer: 'https://ref-b.example.net/y' } }, properties: { referrer: 'https://ref-c.example.com/z' } },
    { $referrer: 'https://ref-b.example.net/y', $referring_domain: 'ref-b.example.net' },
  ],
  [
    '§4.1 $referrer falls back to properties.referrer (which is removed)',
    { properties: { referrer: 'https://ref-c.example.com/z' } },
    { $referrer: 'https://ref-c.example.com/z', $referring_domain: 'ref-c.example.com' },
  ],
  [
    '§4.1 an empty context.page.referrer is skipped in the fallback',
    { context: { page: { referrer: '' } }, properties: { referrer: 'https://ref-c.example.com/z' } },
    { $referrer: 'https://ref-c.example.com/z', $referring_domain: 'ref-c.example.com' },
  ],
  ['§4.1 an empty context.page.referrer alone gives no $referrer', { context: { page: { referrer: '' } } }, {}],
  [
    '§4.8 $referring_domain is the URL hostname without port',
    { context: { page: { referrer: 'https://ref-d.example.io:8443/path?q=1' } } },
    { $referrer: 'https://ref-d.example.io:8443/path?q=1', $referring_domain: 'ref-d.example.io' },
  ],
  ['§4.1 a referrer that is not a URL gives $referrer but no $referring_domain', { context: { page: { referrer: 'android-app' } } }, { $referrer: 'android-app' }],
  ['§4.1 $os and $os_version come from context.os.name / .version', { context: { os: { name: 'os-name-ios', version: 'os-version-17.2' } } }, { $os: 'os-name-ios', $os_version: 'os-version-17.2' }],
  ['§4.1 $browser and $browser_version are parsed from context.userAgent (Chrome)', { context: { userAgent: CHROME_UA } }, { $browser: 'Chrome', $browser_version: '141.0.0.0' }],
  ['§4.1 $browser and $browser_version are parsed from context.userAgent (Firefox)', { context: { userAgent: FIREFOX_UA } }, { $browser: 'Firefox', $browser_version: '143.0' }],
  ['§4.1 an unrecognised userAgent gives no $browser', { context: { userAgent: 'custom-agent/1' } }, {}],
  [
    '§4.1 $device, $manufacturer and $model come from context.device.name / .manufacturer / .model',
    { context: { device: { name: 'device-name-maguro', manufacturer: 'maker-Apple', model: 'model-iPhone7,2', brand: 'brand-unused', id: 'device-id-1' } } },
    { $device: 'device-name-maguro', $manufacturer: 'maker-Apple', $model: 'model-iPhone7,2' },
  ],
  [
    '§4.1 $screen_width, $screen_height and $screen_dpi come from context.screen.width / .height / .density',
    { context: { screen: { width: 390, height: 844, density: 3 } } },
    { $screen_width: 390, $screen_height: 844, $screen_dpi: 3 },
  ],
  [
    '§4.1 $app_version_string and $app_build_number come from context.app.version / .build',
    { context: { app: { name: 'app-name-Shop', version: 'app-version-4.2.1', build: 'app-build-4021' } } },
    { $app_version_string: 'app-version-4.2.1', $app_build_number: 'app-build-4021' },
  ],
  [
    '§4.1 $carrier, $wifi and $bluetooth_enabled come from context.network.carrier / .wifi / .bluetooth',
    { context: { network: { carrier: 'carrier-T-Mobile', wifi: true, bluetooth: false, cellular: true } } },
    { $carrier: 'carrier-T-Mobile', $wifi: true, $bluetooth_enabled: false },
  ],
  [
    '§4.1 $city, $region and mp_country_code come from context.location.city / .region / .country',
    { context: { location: { city: 'city-Lyon', region: 'region-ARA', country: 'FR', latitude: 45.76 } } },
    { $city: 'city-Lyon', $region: 'region-ARA', mp_country_code: 'FR' },
  ],
  ['§4.8 mp_country_code is upper-case', { context: { location: { country: 'de' } } }, { mp_country_code: 'DE' }],
  ['§4.1 mp_country_code only for a 2-letter country', { context: { location: { city: 'city-Austin', country: 'United States' } } }, { $city: 'city-Austin' }],
  [
    '§4.1 utm_* come from context.campaign.source / .medium / .name / .term / .content',
    { context: { campaign: { source: 'src-newsletter', medium: 'med-email', name: 'cmp-spring-sale', term: 'term-shoes', content: 'content-banner' } } },
    { utm_source: 'src-newsletter', utm_medium: 'med-email', utm_campaign: 'cmp-spring-sale', utm_term: 'term-shoes', utm_content: 'content-banner' },
  ],
  ['§4.1 utm_campaign comes from context.campaign.name (not .campaign)', { context: { campaign: { campaign: 'cmp-wrong-key', name: 'cmp-right-key' } } }, { utm_campaign: 'cmp-right-key' }],
  ['§4.1 properties.searchEngine becomes $search_engine', { properties: { searchEngine: 'engine-duckduckgo' } }, { $search_engine: 'engine-duckduckgo' }],
  ['§4.1 properties.username becomes $username', { properties: { username: 'username-ada99' } }, { $username: 'username-ada99' }],
  [
    '§4.1 context fields that are not mapped are not sent (locale, timezone, library.version, device.brand)',
    { context: { locale: 'nl-NL', timezone: 'Europe/Amsterdam', library: { name: 'lib-ios', version: 'lib-version-1.2' }, device: { brand: 'brand-Apple' } } },
    { mp_lib: 'Segment: lib-ios' },
  ],
];

describe('§4.1 the mapping table', () => {
  it.each(TABLE_ROWS)('%s', (_rule, overrides, mapped) => {
    expect(mapProperties(baseTrack(overrides))).toEqual(coreProperties(mapped));
  });

  it('§4.1 segment_source_name comes from the sourceName setting', () => {
    expect(mapProperties(baseTrack(), options({ sourceName: 'source-ios-prod' }))).toEqual(coreProperties({ segment_source_name: 'source-ios-prod' }));
  });

  it('§4.1 a full context maps every field to its own property', () => {
    const context = {
      ip: '203.0.113.9',
      library: { name: 'lib-analytics-ios', version: 'lib-version-4.1' },
      page: { url: 'https://shop.example.com/p/1', referrer: 'https://ref-b.example.net/y' },
      os: { name: 'os-name-ios', version: 'os-version-17.2' },
      userAgent: CHROME_UA,
      device: { name: 'device-name-maguro', manufacturer: 'maker-Apple', model: 'model-iPhone15,3' },
      screen: { width: 393, height: 852, density: 3 },
      app: { version: 'app-version-4.2.1', build: 'app-build-4021' },
      network: { carrier: 'carrier-Orange', wifi: false, bluetooth: true },
      location: { city: 'city-Lyon', region: 'region-ARA', country: 'fr' },
      campaign: { source: 'src-newsletter', medium: 'med-email', name: 'cmp-spring-sale', term: 'term-shoes', content: 'content-banner' },
    };
    expect(mapProperties(baseTrack({ context }), options({ sourceName: 'source-ios-prod' }))).toEqual(
      coreProperties({
        ip: '203.0.113.9',
        mp_lib: 'Segment: lib-analytics-ios',
        $current_url: 'https://shop.example.com/p/1',
        $referrer: 'https://ref-b.example.net/y',
        $referring_domain: 'ref-b.example.net',
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
        $app_version_string: 'app-version-4.2.1',
        $app_build_number: 'app-build-4021',
        $carrier: 'carrier-Orange',
        $wifi: false,
        $bluetooth_enabled: true,
        $city: 'city-Lyon',
        $region: 'region-ARA',
        mp_country_code: 'FR',
        utm_source: 'src-newsletter',
        utm_medium: 'med-email',
        utm_campaign: 'cmp-spring-sale',
        utm_term: 'term-shoes',
        utm_content: 'content-banner',
        segment_source_name: 'source-ios-prod',
      }),
    );
  });

  it.each(['$lib_version', '$library_version', '$brand'])('§4.1 %s is deliberately not mapped', (name) => {
    const context = { library: { name: 'lib-js', version: 'lib-version-9' }, device: { brand: 'brand-Samsung' } };
    expect(mapProperties(baseTrack({ context }))).not.toHaveProperty(name);
  });
});

describe('§4.1 renamed properties', () => {
  it('§4.1 searchEngine, username and referrer are removed and become $search_engine, $username, $referrer', () => {
    const properties = { searchEngine: 'engine-bing', username: 'username-grace', referrer: 'https://ref-c.example.com/z', query: 'query-boots' };
    expect(mapProperties(baseTrack({ properties }))).toEqual(
      coreProperties({
        $search_engine: 'engine-bing',
        $username: 'username-grace',
        $referrer: 'https://ref-c.example.com/z',
        $referring_domain: 'ref-c.example.com',
        query: 'query-boots',
      }),
    );
  });

  it('§4.1 properties.referrer is removed even when a context referrer wins', () => {
    const raw = baseTrack({ context: { page: { referrer: 'https://ref-b.example.net/y' } }, properties: { referrer: 'https://ref-c.example.com/z' } });
    expect(mapProperties(raw)).toEqual(coreProperties({ $referrer: 'https://ref-b.example.net/y', $referring_domain: 'ref-b.example.net' }));
  });

  it.each<[string, JsonObject]>([
    ['search_engine', { $search_engine: 'renamed-value' }],
    ['Search Engine', { $search_engine: 'renamed-value' }],
    ['user_name', { $username: 'renamed-value' }],
    ['User Name', { $username: 'renamed-value' }],
    ['REFERRER', { $referrer: 'renamed-value' }],
  ])('§4.0 the renamed key %j is matched case- and punctuation-insensitively', (key, expected) => {
    expect(mapProperties(baseTrack({ properties: { [key]: 'renamed-value' } }))).toEqual(coreProperties(expected));
  });
});

describe('§4.1 a user property with the name of a mapped one', () => {
  /** [mapped property, message overrides that give it a value, mapped value]. */
  const OVERWRITES: Array<[string, JsonObject, string | number]> = [
    ['ip', { context: { ip: '198.51.100.4' } }, '198.51.100.4'],
    ['mp_lib', { context: { library: { name: 'lib-android' } } }, 'Segment: lib-android'],
    ['$current_url', { context: { page: { url: 'https://shop.example.com/mapped' } } }, 'https://shop.example.com/mapped'],
    ['$os', { context: { os: { name: 'os-name-android' } } }, 'os-name-android'],
    ['$browser', { context: { userAgent: FIREFOX_UA } }, 'Firefox'],
    ['$model', { context: { device: { model: 'model-Pixel-8' } } }, 'model-Pixel-8'],
    ['$app_build_number', { context: { app: { build: 'app-build-77' } } }, 'app-build-77'],
    ['$city', { context: { location: { city: 'city-Graz' } } }, 'city-Graz'],
    ['mp_country_code', { context: { location: { country: 'AT' } } }, 'AT'],
    ['utm_campaign', { context: { campaign: { name: 'cmp-mapped' } } }, 'cmp-mapped'],
    ['segment_source_name', {}, 'source-web'],
  ];

  it.each(OVERWRITES)('§4.1 user property %s is overwritten by the mapped value when it exists', (name, overrides, mappedValue) => {
    const raw = baseTrack({ ...overrides, properties: { [name]: 'user-supplied-value' } });
    const opts = name === 'segment_source_name' ? options({ sourceName: 'source-web' }) : options();
    expect(mapProperties(raw, opts)[name]).toBe(mappedValue);
  });

  it.each(OVERWRITES)('§4.1 user property %s is kept when there is no mapped value', (name) => {
    expect(mapProperties(baseTrack({ properties: { [name]: 'user-supplied-value' } }))).toEqual(coreProperties({ [name]: 'user-supplied-value' }));
  });

  it.each<[string, JsonObject]>([
    ['time', { time: 12 }],
    ['distinct_id', { distinct_id: 'distinct-from-properties' }],
    ['$insert_id', { $insert_id: 'insert-from-properties' }],
    ['token', { token: 'token-from-properties' }],
  ])('§4.8 user property %s never overrides the mapped field', (_name, properties) => {
    expect(mapProperties(baseTrack({ properties }))).toEqual(coreProperties());
  });
});

describe('§4.1 track without People', () => {
  it.each<[string, JsonObject]>([
    ['revenue', { revenue: 42 }],
    ['an increment property', { items: 3 }],
  ])('§4.4 %s gives no /engage update when people is false', (_name, properties) => {
    const records = mapRecords(baseTrack({ properties }), options({ people: false, eventIncrements: ['Order Completed'], propIncrements: ['items'] }));
    expect(records.map((r) => r.endpoint)).toEqual(['/import']);
  });

  it('§4.1 a track outcome carries its type', () => {
    expect(mapMessage(baseTrack(), options())).toMatchObject({ outcome: 'mapped', type: 'track' });
  });
});
