/**
 * SPEC §10, reference segment-actions.md §3 (trackEvent): every mapped property of an Actions
 * event, one row each, with its source. Behaviour visible in segmentio/action-destinations
 * packages/destination-actions/src/destinations/mixpanel/trackEvent/functions.ts and
 * .../mixpanel-properties.ts (the default paths).
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../src/lib/json.js';
import { ANONYMOUS_ID, TIME_MS, USER_ID, actionsOptions, baseTrack, mapProperties } from '../../../support/mapping.js';

/** [Mixpanel key, message overrides, expected value]. Each row uses a value no other row uses. */
const ROWS: Array<[string, JsonObject, unknown]> = [
  ['$app_build_number', { context: { app: { build: 'build-3301' } } }, 'build-3301'],
  ['$app_version_string', { context: { app: { version: '4.2.7' } } }, '4.2.7'],
  ['$app_namespace', { context: { app: { namespace: 'com.acme.shop' } } }, 'com.acme.shop'],
  ['$app_name', { context: { app: { name: 'Acme Shop' } } }, 'Acme Shop'],
  ['app_platform', { context: { app: { platform: 'iOS-platform' } } }, 'iOS-platform'],
  ['$bluetooth_enabled', { context: { network: { bluetooth: true } } }, true],
  ['$cellular_enabled', { context: { network: { cellular: false } } }, false],
  ['$carrier', { context: { network: { carrier: 'T-Mobile-77' } } }, 'T-Mobile-77'],
  ['$wifi_enabled', { context: { network: { wifi: true } } }, true],
  ['$current_url', { context: { page: { url: 'https://acme.example/cart' } } }, 'https://acme.example/cart'],
  ['$referrer', { context: { page: { referrer: 'https://search.example/q' } } }, 'https://search.example/q'],
  ['$device', { context: { device: { name: 'Pixel-8a' } } }, 'Pixel-8a'],
  ['$device_name', { context: { device: { name: 'Galaxy-S24' } } }, 'Galaxy-S24'],
  ['$device_type', { context: { device: { type: 'tablet-x' } } }, 'tablet-x'],
  ['$manufacturer', { context: { device: { manufacturer: 'Fairphone' } } }, 'Fairphone'],
  ['$model', { context: { device: { model: 'FP5-model' } } }, 'FP5-model'],
  ['$group_id', { context: { groupId: 'ctx-group-551' } }, 'ctx-group-551'],
  ['$ios_ifa from advertisingId', { context: { device: { advertisingId: 'ad-id-111', idfa: 'idfa-222' } } }, 'ad-id-111'],
  ['$ios_ifa from idfa without advertisingId', { context: { device: { idfa: 'idfa-333' } } }, 'idfa-333'],
  ['advertising_id', { context: { device: { advertisingId: 'ad-id-444' } } }, 'ad-id-444'],
  ['ad_tracking_enabled', { context: { device: { adTrackingEnabled: false } } }, false],
  ['$lib_version', { context: { library: { name: 'analytics-ios', version: '5.6.1' } } }, '5.6.1'],
  ['mp_lib', { context: { library: { name: 'analytics-kotlin' } } }, 'Segment Actions: analytics-kotlin'],
  ['$locale', { context: { locale: 'pt-BR' } }, 'pt-BR'],
  ['timezone', { context: { timezone: 'America/Sao_Paulo' } }, 'America/Sao_Paulo'],
  ['$os', { context: { os: { name: 'Android-OS' } } }, 'Android-OS'],
  ['$os_version', { context: { os: { version: '14.1.2' } } }, '14.1.2'],
  ['$screen_height', { context: { screen: { height: 2400 } } }, 2400],
  ['$screen_width', { context: { screen: { width: 1080 } } }, 1080],
  ['$screen_density', { context: { screen: { density: 2.75 } } }, 2.75],
  ['mp_country_code (not checked for 2 letters)', { context: { location: { country: 'United States' } } }, 'United States'],
  ['utm_campaign from campaign.name', { context: { campaign: { name: 'winter-sale' } } }, 'winter-sale'],
  ['utm_content', { context: { campaign: { content: 'banner-b' } } }, 'banner-b'],
  ['utm_medium', { context: { campaign: { medium: 'email-medium' } } }, 'email-medium'],
  ['utm_source', { context: { campaign: { source: 'newsletter-src' } } }, 'newsletter-src'],
  ['utm_term', { context: { campaign: { term: 'rain jacket' } } }, 'rain jacket'],
  ['$mobile', { context: { userAgentData: { mobile: true } } }, true],
  ['$platform', { context: { userAgentData: { platform: 'macOS-uad' } } }, 'macOS-uad'],
  ['$bitness', { context: { userAgentData: { bitness: '64' } } }, '64'],
  ['$platformVersion', { context: { userAgentData: { platformVersion: '15.0.0' } } }, '15.0.0'],
  ['$uaFullVersion', { context: { userAgentData: { uaFullVersion: '141.0.7390.54' } } }, '141.0.7390.54'],
  ['$wow64', { context: { userAgentData: { wow64: false } } }, false],
  ['$source "segment"', { context: {} }, 'segment'],
  ['$source "Iterable" for context.integration.name Iterable', { context: { integration: { name: 'Iterable' } } }, 'Iterable'],
  ['ip from context.ip', { context: { ip: '203.0.113.9' } }, '203.0.113.9'],
  ['time in ms from timestamp', {}, TIME_MS],
  ['event_original_name from event', { event: 'Cart Viewed' }, 'Cart Viewed'],
];

describe('§10 Actions event properties (segment-actions.md §3)', () => {
  it.each(ROWS)('§10 %s', (key, overrides, expected) => {
    const properties = mapProperties(baseTrack(overrides), actionsOptions());
    expect(properties[key.split(' ')[0]!]).toEqual(expected);
  });

  it('§10 the identity fields: id and distinct_id ← userId, $anon_id and $device_id ← anonymousId, $user_id and $identified_id ← userId', () => {
    const properties = mapProperties(baseTrack({ anonymousId: ANONYMOUS_ID }), actionsOptions());
    expect(properties).toMatchObject({ id: USER_ID, distinct_id: USER_ID, $anon_id: ANONYMOUS_ID, $device_id: ANONYMOUS_ID, $user_id: USER_ID, $identified_id: USER_ID });
  });

  it('§10 without userId, id and distinct_id are the anonymousId and no $user_id / $identified_id is sent', () => {
    const properties = mapProperties(baseTrack({ userId: null, anonymousId: ANONYMOUS_ID }), actionsOptions());
    expect(properties).toMatchObject({ id: ANONYMOUS_ID, distinct_id: ANONYMOUS_ID, $device_id: ANONYMOUS_ID });
    expect(properties).not.toHaveProperty('$user_id');
    expect(properties).not.toHaveProperty('$identified_id');
  });

  it('§10 segment_source_name comes from the sourceName setting', () => {
    expect(mapProperties(baseTrack(), actionsOptions({ sourceName: 'source-ios-prod' })).segment_source_name).toBe('source-ios-prod');
  });

  it('§10 the properties follow Actions\' emit order, message properties last', () => {
    const raw = baseTrack({ anonymousId: ANONYMOUS_ID, properties: { plan: 'pro' }, context: { os: { name: 'iOS' }, library: { name: 'analytics.js' }, timezone: 'UTC' } });
    expect(Object.keys(mapProperties(raw, actionsOptions()))).toEqual([
      'time', 'ip', 'id', '$anon_id', 'distinct_id', '$device_id', '$identified_id', '$insert_id', '$os', '$source', '$user_id', 'mp_lib', 'timezone', 'event_original_name', 'plan',
    ]);
  });

  it('§10 a context field that is null or absent is not sent; classic-only names are not sent', () => {
    const properties = mapProperties(baseTrack({ context: { os: { name: null }, device: { id: 'device-id-9' }, location: { region: 'Bavaria', city: 'Munich' }, page: { url: null } } }), actionsOptions());
    for (const key of ['$os', '$device_id', '$region', '$city', '$current_url', '$referring_domain', '$screen_dpi', '$wifi', 'token']) expect(properties, key).not.toHaveProperty(key);
  });

  it('§10 context.traits are not merged into events', () => {
    const properties = mapProperties(baseTrack({ context: { traits: { plan: 'trait-plan', email: 'trait@example.com' } } }), actionsOptions());
    expect(properties).not.toHaveProperty('plan');
    expect(properties).not.toHaveProperty('$email');
  });
});

describe('§10 precedence: message properties override mapped ones except the reserved few', () => {
  /** [property, mapped value source, user value]. */
  const OVERRIDDEN: Array<[string, JsonObject, string]> = [
    ['$os', { os: { name: 'iOS-mapped' } }, 'os-from-user'],
    ['mp_lib', { library: { name: 'analytics.js' } }, 'lib-from-user'],
    ['$device_id', {}, 'device-from-user'],
    ['ip', { ip: '198.51.100.4' }, '192.0.2.77'],
    ['$source', {}, 'source-from-user'],
    ['$identified_id', {}, 'identified-from-user'],
    ['utm_source', { campaign: { source: 'mapped-src' } }, 'user-src'],
  ];
  it.each(OVERRIDDEN)('§10 a message property %s overrides the mapped value', (key, context, value) => {
    const properties = mapProperties(baseTrack({ anonymousId: ANONYMOUS_ID, context, properties: { [key]: value } }), actionsOptions());
    expect(properties[key]).toEqual(value);
  });

  const RESERVED = ['time', 'id', '$anon_id', 'distinct_id', '$group_id', '$insert_id', '$user_id'];
  it.each(RESERVED)('§10 a message property %s never overrides the mapped value', (key) => {
    const message = { anonymousId: ANONYMOUS_ID, context: { groupId: 'ctx-group-9' } };
    const mapped = mapProperties(baseTrack(message), actionsOptions());
    const properties = mapProperties(baseTrack({ ...message, properties: { [key]: `user-${key}` } }), actionsOptions());
    expect(mapped[key]).toBeDefined();
    expect(properties[key]).toEqual(mapped[key]);
  });

  it('§4.0 properties Mixpanel sets itself are dropped under the Actions preset too', () => {
    const properties = mapProperties(baseTrack({ properties: { $import: true, mp_processing_time_ms: 5 } }), actionsOptions());
    expect(properties).not.toHaveProperty('$import');
    expect(properties).not.toHaveProperty('mp_processing_time_ms');
  });
});
