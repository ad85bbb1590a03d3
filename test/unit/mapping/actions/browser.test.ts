/**
 * SPEC §10, reference segment-actions.md §3: `$browser` / `$browser_version` come from Actions'
 * own substring sniffer, not a UA parser (segmentio/action-destinations
 * packages/destination-actions/src/destinations/mixpanel/common/utils.ts, getBrowser).
 */
import { describe, expect, it } from 'vitest';
import { actionsOptions, baseTrack, mapProperties } from '../../../support/mapping.js';

/** [user agent, $browser, $browser_version or undefined]. */
const AGENTS: Array<[string, string, string | undefined]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36', 'Chrome', '141.0.0.0'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 9_1 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Version/9.0 Mobile/13B143 Safari/601.1', 'Mobile Safari', '9.0'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari', '17.5'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'Microsoft Edge', '120.0.2210.91'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox', '128.0'],
  ['Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36 OPR/105.0.4970.21', 'Opera', '105.0.4970.21'],
  ['Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36', 'Samsung Internet', '23.0'],
  ['curl/8.4.0', '', undefined],
];

describe('§10 Actions browser detection', () => {
  it.each(AGENTS)('§10 %s → %s %s', (userAgent, browser, version) => {
    const properties = mapProperties(baseTrack({ context: { userAgent } }), actionsOptions());
    expect(properties.$browser).toBe(browser);
    expect(properties.$browser_version).toBe(version);
  });

  it('§10 no userAgent, no $browser', () => {
    expect(mapProperties(baseTrack(), actionsOptions())).not.toHaveProperty('$browser');
  });
});
