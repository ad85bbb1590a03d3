import { describe, expect, it } from 'vitest';
import { sendingLine } from '../../../src/cli/announce.js';
import type { DeliveryConfig, ProxyEnv } from '../../../src/config/run-config.js';

function delivery(origin: string, proxy: ProxyEnv | null): DeliveryConfig {
  return {
    origin,
    region: 'eu',
    proxy,
    auth: { kind: 'api-secret', secret: 'secret-never-shown-4821' },
    concurrency: 10,
    batchSize: 2000,
    rate: null,
    aliasDelayMs: 1000,
    maxRetries: 5,
    timeoutMs: 30_000,
    backoff: { baseMs: 2000, maxMs: 60_000 },
  };
}

const proxy = (httpProxy: string, httpsProxy: string, noProxy = ''): ProxyEnv => ({ httpProxy, httpsProxy, noProxy });

describe('the pre-send line names a proxy by host and port only, and none when NO_PROXY bypasses it', () => {
  it.each([
    ['https origin uses HTTPS_PROXY, credentials left out', 'https://api-eu.mixpanel.com', proxy('http://plain.example:3128', 'http://ops:pw-7731@secure.example:8443'), ' via proxy secure.example:8443'],
    ['https origin falls back to HTTP_PROXY', 'https://api-eu.mixpanel.com', proxy('http://fallback.example:3130', ''), ' via proxy fallback.example:3130'],
    ['http origin uses only HTTP_PROXY', 'http://127.0.0.1:9999', proxy('http://loop.example', 'http://ignored.example:1'), ' via proxy loop.example'],
    ['NO_PROXY suffix bypasses', 'https://api-eu.mixpanel.com', proxy('', 'http://secure.example:8443', 'localhost, .mixpanel.com'), ''],
    ['NO_PROXY * bypasses', 'https://api-eu.mixpanel.com', proxy('', 'http://secure.example:8443', '*'), ''],
    ['an unparseable proxy URL is not named', 'https://api-eu.mixpanel.com', proxy('', 'not a url'), ''],
    ['no proxy', 'https://api-eu.mixpanel.com', null, ''],
  ])('%s', (_rule, origin, proxyEnv, expected) => {
    const line = sendingLine(delivery(origin, proxyEnv), 'tok5093', ['day.ndjson.gz'], 1, null);
    expect(line).toBe(`sending to ${origin} (region eu)${expected}, project with token tok5…, auth: API secret; inputs: day.ndjson.gz (1 file)`);
    expect(line).not.toContain('pw-7731');
    expect(line).not.toContain('secret-never-shown');
  });
});
