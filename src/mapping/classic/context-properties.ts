import { boundedMemo } from '../../lib/memo.js';
import { isObject, objectOrEmpty, type Json, type JsonObject } from '../../lib/json.js';
import { parseBrowser } from '../user-agent.js';

/**
 * Device context for profiles (README "Mapping"): OS, browser, device, screen, app, network. No URLs,
 * campaign or geo. Written into `out` (a new object when none is given).
 */
export function deviceProperties(context: JsonObject, out: JsonObject = {}): JsonObject {
  // Each field read by name at its own site: one generic keyed read for all of them (a table
  // of fields) cost 1.8 % more instructions per message.
  const { os, device, screen, app, network } = context;
  if (isObject(os)) {
    put(out, '$os', os.name);
    put(out, '$os_version', os.version);
  }
  addBrowser(out, context);
  if (isObject(device)) {
    put(out, '$device', device.name);
    put(out, '$manufacturer', device.manufacturer);
    put(out, '$model', device.model);
  }
  if (isObject(screen)) {
    put(out, '$screen_width', screen.width);
    put(out, '$screen_height', screen.height);
    put(out, '$screen_dpi', screen.density);
  }
  if (isObject(app)) {
    put(out, '$app_version_string', app.version);
    put(out, '$app_build_number', app.build);
  }
  if (isObject(network)) {
    put(out, '$carrier', network.carrier);
    put(out, '$wifi', network.wifi);
    put(out, '$bluetooth_enabled', network.bluetooth);
  }
  return out;
}

/** Context-derived event properties (README "Mapping"), only those whose source value exists, written into `out`. */
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
  const { location, campaign } = context;
  if (isObject(location)) {
    put(out, '$city', location.city);
    put(out, '$region', location.region);
  }
  const country = isObject(location) ? location.country : undefined;
  if (typeof country === 'string' && country.length === 2 && /^[A-Za-z]{2}$/.test(country)) out.mp_country_code = country.toUpperCase();
  // `utm_campaign` comes from `campaign.name`.
  if (isObject(campaign)) {
    put(out, 'utm_source', campaign.source);
    put(out, 'utm_medium', campaign.medium);
    put(out, 'utm_campaign', campaign.name);
    put(out, 'utm_term', campaign.term);
    put(out, 'utm_content', campaign.content);
  }
}

/** `mp_lib` = "Segment: " + library name; a plain-string library counts as the name. */
export function libraryName(context: JsonObject): string | null {
  const library = context.library;
  const name = isObject(library) ? library.name : library;
  return typeof name === 'string' && name !== '' ? name : null;
}

// --- internal ---

/** Copy a context field that exists (see `present`) to its Mixpanel property. */
function put(out: JsonObject, target: string, value: Json | undefined): void {
  if (present(value)) out[target] = value;
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
