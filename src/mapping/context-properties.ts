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

/** Device context for profiles (SPEC §4.8): OS, browser, device, screen, app, network. No URLs, campaign or geo. */
export function deviceProperties(context: JsonObject): JsonObject {
  const out: JsonObject = {};
  addFields(out, context, DEVICE_FIELDS.slice(0, 2));
  addBrowser(out, context);
  addFields(out, context, DEVICE_FIELDS.slice(2));
  return out;
}

/** Context-derived event properties (SPEC §4.1), only those whose source value exists. */
export function eventContextProperties(context: JsonObject, propertiesReferrer: Json | undefined): JsonObject {
  const out: JsonObject = {};
  const page = child(context, 'page');
  if (present(page.url)) out.$current_url = page.url;
  const referrer = firstTruthy(child(context, 'referrer').url, page.referrer, propertiesReferrer);
  if (referrer !== undefined) {
    out.$referrer = referrer;
    const domain = typeof referrer === 'string' ? hostname(referrer) : null;
    if (domain) out.$referring_domain = domain;
  }
  Object.assign(out, deviceProperties(context));
  addFields(out, context, EVENT_ONLY_FIELDS.slice(0, 2));
  const country = child(context, 'location').country;
  if (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country)) out.mp_country_code = country.toUpperCase();
  addFields(out, context, EVENT_ONLY_FIELDS.slice(2));
  return out;
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

function hostname(url: string): string | null {
  if (!URL.canParse(url)) return null;
  return new URL(url).hostname || null;
}
