import { boundedMemo } from '../../lib/memo.js';

/**
 * `$browser` / `$browser_version` the way the Actions destination derives them: its own
 * substring sniffer on `context.userAgent` (docs/actions.md), not a UA parser. The
 * first matching rule names the browser; an agent no rule matches gives `$browser: ""`, which
 * Actions sends as is.
 */
interface Rule {
  readonly name: string | ((userAgent: string) => string);
  readonly matches: (userAgent: string) => boolean;
}

const has = (...parts: string[]) => (ua: string) => parts.some((part) => ua.includes(part));

const RULES: readonly Rule[] = [
  { matches: has(' OPR/'), name: (ua) => (ua.includes('Mini') ? 'Opera Mini' : 'Opera') },
  { matches: (ua) => /BlackBerry|PlayBook|BB10/i.test(ua), name: 'BlackBerry' },
  { matches: has('IEMobile', 'WPDesktop'), name: 'Internet Explorer Mobile' },
  { matches: has('SamsungBrowser/'), name: 'Samsung Internet' },
  { matches: has('Edge', 'Edg/'), name: 'Microsoft Edge' },
  { matches: has('FBIOS'), name: 'Facebook Mobile' },
  { matches: has('Chrome'), name: 'Chrome' },
  { matches: has('CriOS'), name: 'Chrome iOS' },
  { matches: has('UCWEB', 'UCBrowser'), name: 'UC Browser' },
  { matches: has('FxiOS'), name: 'Firefox iOS' },
  { matches: has('Safari'), name: (ua) => (ua.includes('iPhone') ? 'Mobile Safari' : 'Safari') },
  { matches: has('Android'), name: 'Android Mobile' },
  { matches: has('Konqueror'), name: 'Konqueror' },
  { matches: has('Firefox'), name: 'Firefox' },
  { matches: has('MSIE', 'Trident/'), name: 'Internet Explorer' },
  { matches: has('Gecko'), name: 'Mozilla' },
];

/** The version is the last-but-one capture group of the browser's pattern (its number). */
const VERSIONS: ReadonlyMap<string, RegExp> = new Map([
  ['Internet Explorer Mobile', /rv:(\d+(\.\d+)+)/],
  ['Microsoft Edge', /Edge?\/(\d+(\.\d+)+)/],
  ['Chrome', /Chrome\/(\d+(\.\d+)+)/],
  ['Chrome iOS', /CriOS\/(\d+(\.\d+)+)/],
  ['UC Browser', /(UCBrowser|UCWEB)\/(\d+(\.\d+)+)/],
  ['Safari', /Version\/(\d+(\.\d+)+)/],
  ['Mobile Safari', /Version\/(\d+(\.\d+)+)/],
  ['Opera', /(Opera|OPR)\/(\d+(\.\d+)+)/],
  ['Firefox', /Firefox\/(\d+(\.\d+)+)/],
  ['Firefox iOS', /FxiOS\/(\d+(\.\d+)+)/],
  ['Konqueror', /Konqueror:(\d+(\.\d+)+)/],
  ['BlackBerry', /BlackBerry (\d+(\.\d+)+)/],
  ['Android Mobile', /android\s(\d+(\.\d+)+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+(\.\d+)+)/],
  ['Internet Explorer', /(rv:|MSIE )(\d+(\.\d+)+)/],
  ['Mozilla', /rv:(\d+(\.\d+)+)/],
]);

export interface ActionsBrowser {
  readonly name: string;
  readonly version: string | undefined;
}

/** Archives repeat a small set of user agents: memoised (a pure cache). */
export const sniffBrowser = boundedMemo((userAgent): ActionsBrowser => {
  const rule = RULES.find((candidate) => candidate.matches(userAgent));
  const name = rule === undefined ? '' : typeof rule.name === 'string' ? rule.name : rule.name(userAgent);
  const match = VERSIONS.get(name)?.exec(userAgent);
  return { name, version: match ? match[match.length - 2] : undefined };
}, 5_000);
