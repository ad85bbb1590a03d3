import { boundedMemo } from '../memo.js';
import { isObject, objectOrEmpty, type Json, type JsonObject } from '../json.js';
import { parseBrowser } from './user-agent.js';

/** Context fields copied as they are: [context object, [[Mixpanel property, key in it], …]]. */
type FieldGroup = readonly [group: string, fields: ReadonlyArray<readonly [target: string, key: string]>];

/** OS, then (after the browser) device, screen, app and network: shared by events and profiles. */
const OS_FIELDS: readonly FieldGroup[] = [['os', [['$os', 'name'], ['$os_version', 'version']]]];
const OTHER_DEVICE_FIELDS: readonly FieldGroup[] = [
  ['device', [['$device', 'name'], ['$manufacturer', 'manufacturer'], ['$model', 'model']]],
  ['screen', [['$screen_width', 'width'], ['$screen_height', 'height'], ['$screen_dpi', 'density']]],
  ['app', [['$app_version_string', 'version'], ['$app_build_number', 'build']]],
  ['network', [['$carrier', 'carrier'], ['$wifi', 'wifi'], ['$bluetooth_enabled', 'bluetooth']]],
];

/** Event-only fields: geo and campaign (SPEC §4.1). `utm_campaign` comes from `campaign.name`. */
const GEO_FIELDS: readonly FieldGroup[] = [['location', [['$city', 'city'], ['$region', 'region']]]];
const CAMPAIGN_FIELDS: readonly FieldGroup[] = [
  ['campaign', [['utm_source', 'source'], ['utm_medium', 'medium'], ['utm_campaign', 'name'], ['utm_term', 'term'], ['utm_content', 'content']]],
];

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
  const page = objectOrEmpty(context.page);
  if (present(page.url)) out.$current_url = page.url;
  const referrer = firstTruthy(objectOrEmpty(context.referrer).url, page.referrer, propertiesReferrer);
  if (referrer !== undefined) {
    out.$referrer = referrer;
    const domain = hostname(referrer);
    if (domain) out.$referring_domain = domain;
  }
  deviceProperties(context, out);
  addFields(out, context, GEO_FIELDS);
  const country = objectOrEmpty(context.location).country;
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

function addFields(out: JsonObject, context: JsonObject, groups: readonly FieldGroup[]): void {
  for (const [group, fields] of groups) {
    const source = context[group];
    if (!isObject(source)) continue;
    for (const [target, key] of fields) {
      const value = source[key];
      if (present(value)) out[target] = value;
    }
  }
}

function addBrowser(out: JsonObject, context: JsonObject): void {
  const ua = context.userAgent;
  if (typeof ua === 'string' && ua !== '') Object.assign(out, parseBrowser(ua));
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
const hostname = boundedMemo((url): string | null => (URL.canParse(url) ? new URL(url).hostname || null : null), 10_000);
