/** SPEC §3: Segment destination settings, parsed by parseSettings. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../../../src/config/settings.js';
import type { Settings } from '../../../src/config/settings-types.js';

const SOURCE = 'settings-test.json';

/** The defaults exactly as the SPEC §3 table lists them. */
const SPEC_DEFAULTS: Settings = {
  token: null,
  apiSecret: null,
  people: false,
  setAllTraitsByDefault: true,
  peopleProperties: [],
  superProperties: [],
  consolidatedPageCalls: true,
  trackAllPages: false,
  trackCategorizedPages: false,
  trackNamedPages: false,
  eventIncrements: [],
  propIncrements: [],
  groupIdentifierTraits: [],
  groupTraitsToSetOnce: [],
  enableEuropeanUnionEndpoint: false,
  sourceName: null,
  // SPEC §10: the Actions keys (strictMode "1", generatePurchaseEventPerProduct true).
  apiRegion: null,
  strictMode: true,
  generatePurchaseEventPerProduct: true,
  groupKey: null,
};

function parsed(value: unknown) {
  const result = parseSettings(value, SOURCE);
  expect(result.ok, result.ok ? '' : result.errors.join('\n')).toBe(true);
  return result.ok ? result : { settings: DEFAULT_SETTINGS, warnings: [] };
}

function errors(value: unknown): readonly string[] {
  const result = parseSettings(value, SOURCE);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('§3 defaults', () => {
  it('§3 an empty settings object gives every default of the table, with no warning', () => {
    expect(parsed({})).toEqual({ ok: true, settings: SPEC_DEFAULTS, warnings: [] });
  });

  it('§3 DEFAULT_SETTINGS equals the table', () => {
    expect(DEFAULT_SETTINGS).toEqual(SPEC_DEFAULTS);
  });

  it('§3 a key set to null keeps its default', () => {
    expect(parsed({ people: null, consolidatedPageCalls: null, eventIncrements: null }).settings).toEqual(SPEC_DEFAULTS);
  });
});

describe('§3 every key', () => {
  it.each<[string, unknown, Partial<Settings>]>([
    ['token', 'token-abc123', { token: 'token-abc123' }],
    ['apiKey', 'secret-from-apiKey', { apiSecret: 'secret-from-apiKey' }],
    ['apiSecret', 'secret-from-apiSecret', { apiSecret: 'secret-from-apiSecret' }],
    ['people', true, { people: true }],
    ['setAllTraitsByDefault', false, { setAllTraitsByDefault: false }],
    ['peopleProperties', ['plan', 'seats'], { peopleProperties: ['plan', 'seats'] }],
    ['superProperties', ['tier'], { superProperties: ['tier'] }],
    ['consolidatedPageCalls', false, { consolidatedPageCalls: false }],
    ['trackAllPages', true, { trackAllPages: true }],
    ['trackCategorizedPages', true, { trackCategorizedPages: true }],
    ['trackNamedPages', true, { trackNamedPages: true }],
    ['eventIncrements', ['Logged In'], { eventIncrements: ['Logged In'] }],
    ['propIncrements', ['items'], { propIncrements: ['items'] }],
    ['groupIdentifierTraits', ['company_id'], { groupIdentifierTraits: ['company_id'] }],
    ['groupTraitsToSetOnce', ['founded'], { groupTraitsToSetOnce: ['founded'] }],
    ['enableEuropeanUnionEndpoint', true, { enableEuropeanUnionEndpoint: true }],
    ['sourceName', 'source-ios-prod', { sourceName: 'source-ios-prod' }],
  ])('§3 key %s is read verbatim', (key, value, expected) => {
    expect(parsed({ [key]: value })).toEqual({ ok: true, settings: { ...SPEC_DEFAULTS, ...expected }, warnings: [] });
  });

  it('§3 "increments" is accepted as the older name of eventIncrements', () => {
    expect(parsed({ increments: ['Signed Up', 'Logged In'] })).toEqual({
      ok: true,
      settings: { ...SPEC_DEFAULTS, eventIncrements: ['Signed Up', 'Logged In'] },
      warnings: [],
    });
  });

  it('§3 a full Segment settings object is read at once', () => {
    const value = {
      token: 'token-abc123',
      apiSecret: 'secret-xyz',
      people: true,
      setAllTraitsByDefault: false,
      peopleProperties: ['plan'],
      superProperties: ['tier'],
      consolidatedPageCalls: false,
      trackAllPages: false,
      trackCategorizedPages: true,
      trackNamedPages: true,
      eventIncrements: ['Logged In'],
      propIncrements: ['items'],
      groupIdentifierTraits: ['company_id'],
      groupTraitsToSetOnce: ['founded'],
      enableEuropeanUnionEndpoint: true,
      sourceName: 'source-web',
    };
    const { apiSecret, ...rest } = value;
    const actionsDefaults = { apiRegion: null, strictMode: true, generatePurchaseEventPerProduct: true, groupKey: null };
    expect(parsed(value)).toEqual({ ok: true, settings: { ...rest, apiSecret, ...actionsDefaults }, warnings: [] });
  });
});

describe('§3 unknown keys', () => {
  it('§3 an unknown key is a warning naming it (a typo must not pass silently); settings keep their defaults', () => {
    const result = parsed({ peopel: true });
    expect(result.settings).toEqual(SPEC_DEFAULTS);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('peopel');
  });

  it('§3 every unknown key is named', () => {
    const result = parsed({ trackAllPage: true, eventIncrement: ['x'], people: true });
    expect(result.settings).toEqual({ ...SPEC_DEFAULTS, people: true });
    expect(result.warnings.join('\n')).toContain('trackAllPage');
    expect(result.warnings.join('\n')).toContain('eventIncrement');
  });
});

describe('§3 wrong types', () => {
  it.each<[string, unknown, RegExp]>([
    ['people', 'true', /boolean/],
    ['people', 1, /boolean/],
    ['setAllTraitsByDefault', 'false', /boolean/],
    ['consolidatedPageCalls', 0, /boolean/],
    ['trackAllPages', [], /boolean/],
    ['trackCategorizedPages', {}, /boolean/],
    ['trackNamedPages', 'yes', /boolean/],
    ['enableEuropeanUnionEndpoint', 'eu', /boolean/],
    ['token', 12345, /string/],
    ['apiKey', true, /string/],
    ['apiSecret', ['s'], /string/],
    ['sourceName', { name: 'x' }, /string/],
    ['peopleProperties', 'plan', /array/],
    ['superProperties', { tier: true }, /array/],
    ['eventIncrements', 'Logged In', /array/],
    ['increments', [1, 2], /array/],
    ['propIncrements', ['items', 3], /array/],
    ['groupIdentifierTraits', true, /array/],
    ['groupTraitsToSetOnce', [null], /array/],
  ])('§3 %s = %j is an error naming the key and the expected type', (key, value, expectedType) => {
    const found = errors({ [key]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`"${key}"`);
    expect(found[0]).toMatch(expectedType);
  });

  it('§3 every wrong key is reported', () => {
    const found = errors({ people: 'yes', token: 5, eventIncrements: 'x', trackAllPages: true });
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toMatch(/"people"[\s\S]*"token"[\s\S]*"eventIncrements"/);
  });

  it.each([['a string', 'people=true'], ['an array', [{ people: true }]], ['null', null], ['a number', 7]])('§3 settings that are %s are an error', (_name, value) => {
    expect(errors(value)).toHaveLength(1);
  });
});

describe('§3 browser-only keys', () => {
  it.each(['crossSubdomainCookie', 'secureCookie', 'persistence'])('§3 browser-only key %s is accepted and ignored, with a notice', (key) => {
    const result = parsed({ [key]: key === 'persistence' ? 'cookie' : true });
    expect(result.settings).toEqual(SPEC_DEFAULTS);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(key);
  });

  it('§3 several browser-only keys give one notice', () => {
    const result = parsed({ crossSubdomainCookie: true, secureCookie: false, persistence: 'localStorage', token: 'token-abc123' });
    expect(result.settings).toEqual({ ...SPEC_DEFAULTS, token: 'token-abc123' });
    expect(result.warnings).toHaveLength(1);
  });

  it('§3 the browser-only notice is separate from the unknown-key warning, which still names the typo', () => {
    const result = parsed({ crossSubdomainCookie: true, tokn: 'typo' });
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings.filter((w) => w.includes('tokn'))).toHaveLength(1);
    expect(result.warnings.filter((w) => w.includes('crossSubdomainCookie'))).toHaveLength(1);
  });
});
