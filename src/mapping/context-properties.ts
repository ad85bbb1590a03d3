import { isObject, type Json, type JsonObject } from '../json.js';
import { parseBrowser } from './user-agent.js';

/** [Mixpanel property, context path] for the device and app fields shared by events and profiles. */
const DEVICE_FIELDS: ReadonlyArray<readonly [string, string, string]> = [
  ['$os', 'os', 'name'],
  ['$os_version', 'os', 'version'],
  ['$device', 'device', 'name'],
  ['$manufacturer', 'device', 'manufacturer'],
  ['$model', 'device', 'model'],
  ['$screen_width', 'screen', 'width'],
  ['$screen_height', 'screen', 'height'],
  ['$screen_dpi', 'screen', 'density'],
  ['$app_version_string', 'app', 'version'],
  ['$app_build_number', 'app', 'build'],
  ['$carrier', 'network', 'carrier'],
  ['$wifi', 'network', 'wifi'],
  ['$bluetooth_enabled', 'network', 'bluetooth'],
];

/** Event-only fields: geo and campaign (SPEC §4.1). `utm_campaign` comes from `campaign.name`. */
const EVENT_ONLY_FIELDS: ReadonlyArray<readonly [string, string, string]> = [
  ['$city', 'location', 'city'],
  ['$region', 'location', 'region'],
  ['utm_source', 'campaign', 'source'],
  ['utm_medium', 'campaign', 'medium'],
  ['utm_campaign', 'campaign', 'name'],
  ['utm_term', 'campaign', 'term'],
  ['utm_content', 'campaign', 'content'],
];

const OS_FIELDS = DEVICE_FIELDS.slice(0, 2);
const OTHER_DEVICE_FIELDS = DEVICE_FIELDS.slice(2);
const GEO_FIELDS = EVENT_ONLY_FIELDS.slice(0, 2);
const CAMPAIGN_FIELDS = EVENT_ONLY_FIELDS.slice(2);

/**
 * Device context for profiles (SPEC §4.8): OS, browser, device, screen, app, network. No URLs,
 * campaign or geo. Written into `out` (a new object when none is given).
 */
export function deviceProperties(context: JsonObject, out: JsonObject = {}): JsonObject {
  addFields(out, context, OS_FIELDS);
  addBrowser(out, context);
  addFields(out, context, OTHER_DEVICE_FIELDS);
  return out;
}

/** Context-derived event properties (SPEC §4.1), only those whose source value exists, written into `out`. */
export function addEventContextProperties(out: JsonObject, context: JsonObject, propertiesReferrer: Json | undefined): void {
  const page = child(context, 'page');
  if (present(page.url)) out.$current_url = page.url;
  const referrer = firstTruthy(child(context, 'referrer').url, page.referrer, propertiesReferrer);
  if (referrer !== undefined) {
    out.$referrer = referrer;
    const domain = hostname(referrer);
    if (domain) out.$referring_domain = domain;
  }
  deviceProperties(context, out);
  addFields(out, context, GEO_FIELDS);
  const country = child(context, 'location').country;
  if (typeof country === 'string' && country.length === 2 && /^[A-Za-z]{2}$/.test(country)) out.mp_country_code = country.toUpperCase();
  addFields(out, context, CAMPAIGN_FIELDS);
}

/** `mp_lib` = "Segment: " + library name; a plain-string library counts as the name. */
export function libraryName(context: JsonObject): string | null {
  const library = context.library;
  const name = isObject(library) ? library.name : library;
  return typeof name === 'string' && name !== '' ? name : null;
}

// --- internal ---

function addFields(out: JsonObject, context: JsonObject, fields: ReadonlyArray<readonly [string, string, string]>): void {
  for (const [target, group, key] of fields) {
    const value = child(context, group)[key];
    if (present(value)) out[target] = value;
  }
}

function addBrowser(out: JsonObject, context: JsonObject): void {
  const ua = context.userAgent;
  if (typeof ua === 'string' && ua !== '') Object.assign(out, parseBrowser(ua));
}

function child(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  return isObject(value) ? value : {};
}

/** A mapped source value exists when it is a scalar other than null and "". */
function present(value: Json | undefined): value is string | number | boolean {
  return value !== undefined && value !== null && value !== '' && typeof value !== 'object';
}

function firstTruthy(...values: Array<Json | undefined>): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

/** Referrers repeat across an archive: the host of each is memoised (a pure cache). */
const hostnames = new Map<string, string | null>();

function hostname(url: string): string | null {
  let host = hostnames.get(url);
  if (host === undefined) {
    host = URL.canParse(url) ? new URL(url).hostname || null : null;
    if (hostnames.size >= 10_000) hostnames.clear();
    hostnames.set(url, host);
  }
  return host;
}
