import { UAParser } from 'ua-parser-js';

export interface Browser {
  readonly $browser?: string;
  readonly $browser_version?: string;
}

const CACHE_LIMIT = 5_000;
const cache = new Map<string, Browser>();

/**
 * `$browser` / `$browser_version` from a user-agent string (ua-parser-js). Archives repeat a
 * small set of user agents, so results are memoised (a pure cache: same input, same output).
 */
export function parseBrowser(userAgent: string): Browser {
  const hit = cache.get(userAgent);
  if (hit !== undefined) return hit;
  const { name, version } = new UAParser(userAgent).getBrowser();
  const browser: Browser = { ...(name && { $browser: name }), ...(version && { $browser_version: version }) };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(userAgent, browser);
  return browser;
}
