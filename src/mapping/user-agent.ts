import { UAParser } from 'ua-parser-js';
import { boundedMemo } from '../lib/memo.js';

export interface Browser {
  readonly $browser?: string;
  readonly $browser_version?: string;
}

/**
 * `$browser` / `$browser_version` from a user-agent string (ua-parser-js). Archives repeat a
 * small set of user agents, so results are memoised (a pure cache: same input, same output).
 */
export const parseBrowser = boundedMemo((userAgent): Browser => {
  const { name, version } = new UAParser(userAgent).getBrowser();
  return { ...(name && { $browser: name }), ...(version && { $browser_version: version }) };
}, 5_000);
