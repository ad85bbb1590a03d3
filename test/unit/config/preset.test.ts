/** SPEC §3, §10: the Actions settings keys and how the preset is chosen. */
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../../src/config/run-config.js';
import { DEFAULT_SETTINGS, parseSettings, presetKeysOf } from '../../../src/config/settings.js';

const SOURCE = 'actions-settings.json';

function resolve(raw: Record<string, unknown>, preset?: string) {
  const parsed = parseSettings(raw, SOURCE);
  expect(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n')).toBe(true);
  const settings = parsed.ok ? parsed.settings : DEFAULT_SETTINGS;
  const result = resolveRunConfig(['in.ndjson'], { dryRun: true, ...(preset !== undefined && { preset }) }, {}, settings, Date.UTC(2026, 10, 30), presetKeysOf(raw));
  if ('errors' in result) throw new Error(result.errors.join('\n'));
  return result.config;
}

describe('§10 Actions settings', () => {
  /** [key, value, resolved field, resolved value]. */
  const KEYS: Array<[string, unknown, string, unknown]> = [
    ['projectToken', 'proj-token-5e1', 'token', 'proj-token-5e1'],
    ['apiSecret', 'secret-98d', 'apiSecret', 'secret-98d'],
    ['apiRegion', 'EU 🇪🇺', 'apiRegion', 'eu'],
    ['apiRegion', 'IN 🇮🇳', 'apiRegion', 'in'],
    ['apiRegion', 'US 🇺🇸', 'apiRegion', 'us'],
    ['apiRegion', 'IN', 'apiRegion', 'in'],
    ['apiRegion', 'eu', 'apiRegion', 'eu'],
    ['strictMode', '0', 'strictMode', false],
    ['strictMode', '1', 'strictMode', true],
    ['generatePurchaseEventPerProduct', false, 'generatePurchaseEventPerProduct', false],
    ['group_key', 'company_id', 'groupKey', 'company_id'],
    ['sourceName', 'src-actions', 'sourceName', 'src-actions'],
  ];
  it.each(KEYS)('§10 "%s": %j resolves to %s', (key, value, field, expected) => {
    const parsed = parseSettings({ [key]: value }, SOURCE);
    expect(parsed.ok && (parsed.settings as unknown as Record<string, unknown>)[field]).toEqual(expected);
  });

  it.each([
    ['apiRegion', 'Mars 🚀'],
    ['apiRegion', 1],
    ['strictMode', 'yes'],
    ['generatePurchaseEventPerProduct', 'true'],
    ['group_key', 7],
  ])('§3 a wrong type or value for "%s" (%j) is an error', (key, value) => {
    const parsed = parseSettings({ [key]: value }, SOURCE);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.join('\n')).toContain(`"${key}"`);
  });

  it('§10 apiRegion chooses the host when --region is not given', () => {
    const parsed = parseSettings({ apiRegion: 'EU 🇪🇺', projectToken: 'tok-123456' }, SOURCE);
    const result = parsed.ok ? resolveRunConfig(['in.ndjson'], {}, {}, parsed.settings, Date.UTC(2026, 10, 30), presetKeysOf({ apiRegion: 'x' })) : null;
    expect(result !== null && 'config' in result && result.config.delivery?.origin).toBe('https://api-eu.mixpanel.com');
  });
});

describe('§10 choosing the preset', () => {
  it('§10 classic by default', () => {
    expect(resolve({ people: true }).preset).toBe('classic');
  });

  it.each(['projectToken', 'apiRegion', 'group_key'])('§10 a settings file with the Actions key %s selects actions', (key) => {
    expect(resolve({ [key]: key === 'apiRegion' ? 'US 🇺🇸' : `value-${key}` }).preset).toBe('actions');
  });

  it('§10 --preset classic wins over Actions keys, which are then a warning', () => {
    const config = resolve({ projectToken: 'tok-abc', group_key: 'company_id' }, 'classic');
    expect(config.preset).toBe('classic');
    expect(config.warnings).toEqual(['Actions-only setting "group_key" ignored under --preset classic']);
  });

  it('§10 classic-only keys under the Actions preset are a warning (the token is still used)', () => {
    const config = resolve({ projectToken: 'tok-abc', token: 'tok-abc', people: true, trackNamedPages: true });
    expect(config.preset).toBe('actions');
    expect(config.warnings).toEqual(['classic-only settings "people", "trackNamedPages" ignored under --preset actions']);
  });

  it('§10 shared keys (apiSecret, sourceName) select nothing', () => {
    expect(resolve({ apiSecret: 'sec-1234', sourceName: 'src' }).preset).toBe('classic');
  });

  it('§10 strictMode "0" is a warning: a replay always validates strictly', () => {
    expect(resolve({ strictMode: '0' }).warnings).toEqual([expect.stringContaining('strictMode "0" ignored')]);
  });

  it('§1 an unknown --preset is an error', () => {
    const result = resolveRunConfig(['in.ndjson'], { dryRun: true, preset: 'legacy' }, {}, DEFAULT_SETTINGS);
    expect('errors' in result && result.errors).toEqual(['--preset "legacy": expected classic or actions']);
  });
});
