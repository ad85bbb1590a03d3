/** SPEC §1: flags > environment > settings file, regions, auth kinds, loopback-only http. */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig, type ImportFlags, type RunConfig } from '../../../src/config/run-config.js';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.js';
import { redact } from '../../../src/lib/redact.js';
import type { Settings } from '../../../src/config/settings-types.js';

function resolve(flags: ImportFlags, env: Record<string, string> = {}, settings: Partial<Settings> = {}): RunConfig {
  const result = resolveRunConfig(['events.ndjson'], flags, env, { ...DEFAULT_SETTINGS, ...settings });
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.config;
}

function errorsOf(flags: ImportFlags, env: Record<string, string> = {}, settings: Partial<Settings> = {}): string[] {
  const result = resolveRunConfig(['events.ndjson'], flags, env, { ...DEFAULT_SETTINGS, ...settings });
  return 'errors' in result ? result.errors : [];
}

describe('resolveRunConfig: precedence flags > env > settings file', () => {
  it.each([
    ['the flag wins over env and settings', { token: 'token-from-flag' }, { MIXPANEL_TOKEN: 'token-from-env' }, { token: 'token-from-settings' }, 'token-from-flag'],
    ['env wins over settings', {}, { MIXPANEL_TOKEN: 'token-from-env' }, { token: 'token-from-settings' }, 'token-from-env'],
    ['settings are the last resort', {}, {}, { token: 'token-from-settings' }, 'token-from-settings'],
  ] as const)('§1 token: %s', (_name, flags, env, settings, expected) => {
    expect(resolve({ ...flags }, { ...env }, { ...settings }).token).toBe(expected);
  });

  it.each([
    ['--api-secret flag', { token: 't-1', apiSecret: 'secret-flag' }, {}, {}, { kind: 'api-secret', secret: 'secret-flag' }],
    ['MIXPANEL_API_SECRET env', { token: 't-1' }, { MIXPANEL_API_SECRET: 'secret-env' }, {}, { kind: 'api-secret', secret: 'secret-env' }],
    ['apiKey in settings', { token: 't-1' }, {}, { apiSecret: 'secret-settings' }, { kind: 'api-secret', secret: 'secret-settings' }],
    ['service account over an API secret', { token: 't-1', serviceAccount: 'sa-user:sa-secret', projectId: '42', apiSecret: 'secret-flag' }, {}, {}, { kind: 'service-account', user: 'sa-user', secret: 'sa-secret', projectId: '42' }],
    ['service account from env', { token: 't-1' }, { MIXPANEL_SERVICE_ACCOUNT: 'env-user:env-secret', MIXPANEL_PROJECT_ID: '77' }, {}, { kind: 'service-account', user: 'env-user', secret: 'env-secret', projectId: '77' }],
    ['the token alone when nothing else is given', { token: 't-only' }, {}, {}, { kind: 'token', token: 't-only' }],
  ] as const)('§6 /import auth: %s', (_name, flags, env, settings, expected) => {
    expect(resolve({ ...flags }, { ...env }, { ...settings }).delivery?.auth).toEqual(expected);
  });
});

describe('resolveRunConfig: hosts', () => {
  it.each([
    ['us by default', {}, {}, {}, 'https://api.mixpanel.com'],
    ['--region eu', { region: 'eu' }, {}, {}, 'https://api-eu.mixpanel.com'],
    ['--region in', { region: 'in' }, {}, {}, 'https://api-in.mixpanel.com'],
    ['MIXPANEL_REGION env', {}, { MIXPANEL_REGION: 'eu' }, {}, 'https://api-eu.mixpanel.com'],
    ['enableEuropeanUnionEndpoint in settings', {}, {}, { enableEuropeanUnionEndpoint: true }, 'https://api-eu.mixpanel.com'],
    ['--region wins over the settings key', { region: 'in' }, {}, { enableEuropeanUnionEndpoint: true }, 'https://api-in.mixpanel.com'],
    ['--api-host over the region (https anywhere), its path kept', { apiHost: 'https://proxy.example.com:8443/x', region: 'eu' }, {}, {}, 'https://proxy.example.com:8443/x'],
    ['--api-host with a path and a trailing slash: the slash dropped', { apiHost: 'https://proxy.example/mixpanel/' }, {}, {}, 'https://proxy.example/mixpanel'],
    ['plain http to 127.0.0.1', { apiHost: 'http://127.0.0.1:3777' }, {}, {}, 'http://127.0.0.1:3777'],
    ['plain http to localhost', { apiHost: 'http://localhost:3777' }, {}, {}, 'http://localhost:3777'],
  ] as const)('§6 the base URL: %s', (_name, flags, env, settings, expected) => {
    expect(resolve({ token: 't-1', ...flags }, { ...env }, { ...settings }).delivery?.origin).toBe(expected);
  });

  it.each([
    ['plain http to a LAN address', 'http://192.168.1.20:3777'],
    ['plain http to a public host', 'http://api.mixpanel.com'],
    ['another scheme', 'ftp://127.0.0.1'],
    ['a query string', 'https://proxy.example/mixpanel?key=1'],
    ['a user and password in the URL', 'https://user:pw@proxy.example/mixpanel'],
  ])('§1 --api-host refuses %s (credentials never over plain http off loopback)', (_name, apiHost) => {
    expect(errorsOf({ token: 't-1', apiHost }).join('\n')).toMatch(/--api-host/);
  });
});

describe('resolveRunConfig: --from / --to', () => {
  it.each([
    ['ISO-8601', '2024-01-02T00:00:00Z', Date.UTC(2024, 0, 2)],
    ['epoch seconds (below 31557600000)', '1704153600', Date.UTC(2024, 0, 2)],
    ['epoch seconds with a fraction', '1704153600.5', Date.UTC(2024, 0, 2) + 500],
    ['epoch milliseconds', '1704153600000', Date.UTC(2024, 0, 2)],
    ['the largest number read as seconds', '31557599999', 31_557_599_999_000],
    ['the smallest number read as milliseconds', '31557600000', 31_557_600_000],
  ])('§4.8 %s: %s', (_name, to, expected) => {
    expect(resolve({ token: 't-1', to }, {}, {}).filter.toMs).toBe(expected);
  });
});

describe('resolveRunConfig: usage errors name the flag and what was expected', () => {
  it.each([
    ['--service-account without a colon', { token: 't', serviceAccount: 'no-colon', projectId: '1' }, '--service-account: expected user:secret'],
    ['--service-account without --project-id', { token: 't', serviceAccount: 'u:s' }, '--service-account needs --project-id'],
    ['no token for a real run', {}, 'no project token'],
    ['--out without --dry-run', { token: 't', out: 'x.ndjson' }, '--out is for --dry-run output'],
    ['--from after --to', { token: 't', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, '--from must be before --to'],
    ['--concurrency 0', { token: 't', concurrency: '0' }, '--concurrency "0": expected an integer from 1 to 256'],
  ] as const)('%s', (_name, flags, expected) => {
    expect(errorsOf({ ...flags }).join('\n')).toContain(expected);
  });

  describe('the secrets of the run are collected for redaction, in every form they can be echoed in', () => {
    const config = resolve(
      { token: 'token-abcd', serviceAccount: 'sa-user:sa-secret/xyz', projectId: '9' },
      { MIXPANEL_API_SECRET: 'api"secret+123', HTTPS_PROXY: 'http://proxy-user:pr%2Fxy-pass@proxy.example:3128' },
    );
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    it.each([
      ['the token, raw', 'token-abcd'],
      ['the API secret, raw', 'api"secret+123'],
      ['the API secret, JSON-escaped', 'api\\"secret+123'],
      ['the API secret, URL-encoded', 'api%22secret%2B123'],
      ['the service-account secret, raw', 'sa-secret/xyz'],
      ['the service-account secret, base64', b64('sa-secret/xyz')],
      ['the proxy password, decoded', 'pr/xy-pass'],
      ['the proxy password, as the URL has it', 'pr%2Fxy-pass'],
      ['base64 of "token:" (token as username, empty password)', b64('token-abcd:')],
      ['base64 of "secret:" (API secret as username)', b64('api"secret+123:')],
      ['base64 of "secret:", unpadded', b64('api"secret+123:').replace(/=+$/, '')],
      ['base64 of "secret:", URL-safe', Buffer.from('api"secret+123:').toString('base64url')],
      ['base64 of "user:secret" (service account)', b64('sa-user:sa-secret/xyz')],
      ['base64 of "user:secret", URL-encoded', encodeURIComponent(b64('sa-user:sa-secret/xyz'))],
      ['base64 of the proxy\'s "user:password"', b64('proxy-user:pr/xy-pass')],
    ])('%s', (_name, form) => {
      expect(config.secrets).toContain(form);
      expect(redact(`echoed: Basic ${form}.`, config.secrets)).toBe('echoed: Basic <redacted>.');
    });
    it('the longest form is redacted first, so no piece of a longer one is left', () => {
      expect(config.secrets).toEqual([...config.secrets].sort((a, b) => b.length - a.length));
    });
  });
});

describe('resolveRunConfig: --dedupe-window and --skip-device-mode (README "Options")', () => {
  it.each([
    { name: 'the default', flags: {}, window: 5_000_000 },
    { name: '0 turns it off', flags: { dedupeWindow: '0' }, window: 0 },
    { name: 'a window of 250', flags: { dedupeWindow: '250' }, window: 250 },
    { name: 'the largest, 100,000,000', flags: { dedupeWindow: '100000000' }, window: 100_000_000 },
  ])('--dedupe-window, $name: $window', ({ flags, window }) => {
    expect(resolve({ dryRun: true, ...flags }).dedupeWindow).toBe(window);
  });

  it.each(['-1', '2.5', 'many', '100000001'])('--dedupe-window %s is refused with the range', (raw) => {
    expect(errorsOf({ dryRun: true, dedupeWindow: raw })).toEqual([`--dedupe-window ${JSON.stringify(raw)}: expected an integer from 0 to 100000000`]);
  });

  it.each([
    { flags: {}, skip: false },
    { flags: { skipDeviceMode: true }, skip: true },
  ])('--skip-device-mode $flags → filter.skipDeviceMode $skip', ({ flags, skip }) => {
    expect(resolve({ dryRun: true, ...flags }).filter.skipDeviceMode).toBe(skip);
  });
});
