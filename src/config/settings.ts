import { isObject } from '../lib/json.js';
import type { Settings } from './settings-types.js';

/** Defaults for every key (README "Settings"): the only place they live. */
export const DEFAULT_SETTINGS: Settings = {
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
  apiRegion: null,
  strictMode: true,
  generatePurchaseEventPerProduct: true,
  groupKey: null,
};

type Kind = 'boolean' | 'string' | 'string[]' | 'region' | 'strictMode';

/** Segment's keys, verbatim, with the type each must have. `increments` is the older name of eventIncrements. */
const KEYS: Record<string, { kind: Kind; target: keyof Settings }> = {
  token: { kind: 'string', target: 'token' },
  apiKey: { kind: 'string', target: 'apiSecret' },
  apiSecret: { kind: 'string', target: 'apiSecret' },
  people: { kind: 'boolean', target: 'people' },
  setAllTraitsByDefault: { kind: 'boolean', target: 'setAllTraitsByDefault' },
  peopleProperties: { kind: 'string[]', target: 'peopleProperties' },
  superProperties: { kind: 'string[]', target: 'superProperties' },
  consolidatedPageCalls: { kind: 'boolean', target: 'consolidatedPageCalls' },
  trackAllPages: { kind: 'boolean', target: 'trackAllPages' },
  trackCategorizedPages: { kind: 'boolean', target: 'trackCategorizedPages' },
  trackNamedPages: { kind: 'boolean', target: 'trackNamedPages' },
  eventIncrements: { kind: 'string[]', target: 'eventIncrements' },
  increments: { kind: 'string[]', target: 'eventIncrements' },
  propIncrements: { kind: 'string[]', target: 'propIncrements' },
  groupIdentifierTraits: { kind: 'string[]', target: 'groupIdentifierTraits' },
  groupTraitsToSetOnce: { kind: 'string[]', target: 'groupTraitsToSetOnce' },
  enableEuropeanUnionEndpoint: { kind: 'boolean', target: 'enableEuropeanUnionEndpoint' },
  sourceName: { kind: 'string', target: 'sourceName' },
  // The Actions destination's keys (README "Replaying a workspace that uses Mixpanel (Actions)").
  projectToken: { kind: 'string', target: 'token' },
  apiRegion: { kind: 'region', target: 'apiRegion' },
  strictMode: { kind: 'strictMode', target: 'strictMode' },
  generatePurchaseEventPerProduct: { kind: 'boolean', target: 'generatePurchaseEventPerProduct' },
  group_key: { kind: 'string', target: 'groupKey' },
};

/** Keys only the Actions destination has: their presence selects `--preset actions`. */
const ACTIONS_ONLY_KEYS: ReadonlySet<string> = new Set(['projectToken', 'apiRegion', 'strictMode', 'generatePurchaseEventPerProduct', 'group_key']);
/** Settings fields that only Actions keys set (`token` is set by classic `token` too). */
export const ACTIONS_ONLY_FIELDS: readonly (keyof Settings)[] = [...new Set([...ACTIONS_ONLY_KEYS].map((key) => KEYS[key]!.target))].filter((field) =>
  Object.entries(KEYS).every(([key, spec]) => spec.target !== field || ACTIONS_ONLY_KEYS.has(key)),
);
/** Keys both destinations have. Every other known key is classic only. */
const SHARED_KEYS: ReadonlySet<string> = new Set(['apiSecret', 'sourceName']);

/** `apiRegion` as Actions writes it ("US 🇺🇸") or as its code, case-insensitively. */
const REGIONS: ReadonlyMap<string, 'us' | 'eu' | 'in'> = new Map([
  ['us 🇺🇸', 'us'], ['eu 🇪🇺', 'eu'], ['in 🇮🇳', 'in'], ['us', 'us'], ['eu', 'eu'], ['in', 'in'],
]);

/** Device-mode (browser) settings: accepted and ignored in a replay. */
const BROWSER_ONLY = new Set(['crossSubdomainCookie', 'secureCookie', 'persistence', 'cookieName', 'nameTag', 'pageview', 'legacySuperProperties', 'secret', 'trackReset']);

export type SettingsResult =
  | { readonly ok: true; readonly settings: Settings; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Parse a Segment Mixpanel destination settings object (README "Settings") into fully resolved
 * settings. A key a small edit away from a known one is a typo and an error (the setting it
 * meant would silently keep its default); other unknown keys are warnings (exports carry keys of
 * other destinations and versions); wrong types are errors.
 * `source` names the file in messages.
 */
export function parseSettings(value: unknown, source: string): SettingsResult {
  if (!isObject(value)) return { ok: false, errors: [`${source}: expected a JSON object of Segment Mixpanel settings`] };
  const resolved: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const errors: string[] = [];
  const unknown: string[] = [];
  const ignored: string[] = [];
  for (const [key, raw] of Object.entries(value)) {
    const spec = KEYS[key];
    if (spec === undefined) {
      const meant = BROWSER_ONLY.has(key) ? null : closeKnownKey(key);
      if (meant !== null) errors.push(`${source}: unknown setting "${key}": did you mean \`${meant}\`?`);
      else (BROWSER_ONLY.has(key) ? ignored : unknown).push(key);
      continue;
    }
    if (raw === null) continue;
    const problem = checkKind(raw, spec.kind);
    if (problem !== null) errors.push(`${source}: setting "${key}" is ${problem}: expected ${describe(spec.kind)}`);
    else resolved[spec.target] = resolvedValue(raw, spec.kind);
  }
  if (errors.length > 0) return { ok: false, errors };
  const warnings: string[] = [];
  if (unknown.length > 0) warnings.push(`${source}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} ignored (check the spelling against Segment's Mixpanel settings)`);
  if (ignored.length > 0) warnings.push(`${source}: browser-only setting${ignored.length > 1 ? 's' : ''} ${ignored.map((k) => `"${k}"`).join(', ')} ignored in a server-side replay`);
  return { ok: true, settings: resolved as unknown as Settings, warnings };
}

/**
 * The known key `key` is probably a misspelling of: the same letters in another case or with
 * other punctuation, or at most 2 edits away (1 for keys of up to 6 letters), comparing
 * lower-case letters and digits only. Null when none is that close.
 */
export function closeKnownKey(key: string): string | null {
  const folded = fold(key);
  let best: { key: string; distance: number } | null = null;
  for (const known of Object.keys(KEYS)) {
    const target = fold(known);
    const allowed = target.length <= 6 ? 1 : 2;
    const distance = editDistance(folded, target, allowed);
    if (distance <= allowed && (best === null || distance < best.distance)) best = { key: known, distance };
  }
  return best?.key ?? null;
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Optimal-string-alignment distance (insert, delete, substitute, swap neighbours), or limit + 1 once over it. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, twoBack[j - 2]! + 1);
      row.push(value);
    }
    twoBack = previous;
    previous = row;
  }
  return previous[b.length]!;
}

export interface PresetKeys {
  readonly classic: readonly string[];
  readonly actions: readonly string[];
}

/**
 * The known keys of a settings object that only one of the two destinations has (null values
 * count as absent), to pick the preset and warn about the other one's keys.
 */
export function presetKeysOf(value: unknown): PresetKeys {
  const keys: { classic: string[]; actions: string[] } = { classic: [], actions: [] };
  if (!isObject(value)) return keys;
  for (const [key, raw] of Object.entries(value)) {
    if (KEYS[key] === undefined || raw === null || SHARED_KEYS.has(key)) continue;
    (ACTIONS_ONLY_KEYS.has(key) ? keys.actions : keys.classic).push(key);
  }
  return keys;
}

/** A checked value as the resolved settings hold it ("" strings are absent). */
function resolvedValue(raw: unknown, kind: Kind): unknown {
  if (kind === 'region') return REGIONS.get((raw as string).trim().toLowerCase());
  if (kind === 'strictMode') return raw === '1' || raw === 1 || raw === true;
  return kind === 'string' && raw === '' ? null : raw;
}

function checkKind(value: unknown, kind: Kind): string | null {
  if (kind === 'region') return typeof value === 'string' && REGIONS.has(value.trim().toLowerCase()) ? null : describeValue(value);
  if (kind === 'strictMode') return value === '1' || value === '0' || value === 1 || value === 0 || typeof value === 'boolean' ? null : describeValue(value);
  if (kind === 'boolean') return typeof value === 'boolean' ? null : describeValue(value);
  if (kind === 'string') return typeof value === 'string' ? null : describeValue(value);
  if (!Array.isArray(value)) return describeValue(value);
  const bad = value.findIndex((item) => typeof item !== 'string');
  return bad === -1 ? null : `an array whose item ${bad} is ${describeValue(value[bad])}`;
}

function describe(kind: Kind): string {
  if (kind === 'region') return 'one of "US 🇺🇸", "EU 🇪🇺", "IN 🇮🇳" (or US, EU, IN)';
  if (kind === 'strictMode') return '"1" or "0"';
  return kind === 'string[]' ? 'an array of strings' : `a ${kind}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (${JSON.stringify(value)})`;
}
