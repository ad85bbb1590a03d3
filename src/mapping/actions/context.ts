import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { sniffBrowser } from './browser.js';
import { putTrait as put } from './put-trait.js';

/** The values of an Actions event that do not come from `context`. */
export interface ActionsCore {
  readonly time: number;
  readonly ip: Json;
  readonly distinctId: string;
  readonly anonymousId: string | null;
  readonly userId: string | null;
  readonly insertId: string;
  readonly sourceName: string | null;
  readonly originalName: Json | undefined;
}

/**
 * The mapped properties of an Actions event, in the order Actions emits them
 * (docs/actions.md; README "Replaying a workspace that uses Mixpanel (Actions)").
 * A context field is written when its source is neither absent nor null; values are sent as
 * they are. The message's own properties go over these afterwards.
 */
export function actionsProperties(out: JsonObject, core: ActionsCore, context: JsonObject): void {
  const { app, device, network, page, library, os, screen, location, campaign, userAgentData } = context;
  const appObject = isObject(app) ? app : null;
  const deviceObject = isObject(device) ? device : null;
  const networkObject = isObject(network) ? network : null;
  const pageObject = isObject(page) ? page : null;
  out.time = core.time;
  out.ip = core.ip;
  out.id = core.distinctId;
  put(out, '$anon_id', core.anonymousId);
  out.distinct_id = core.distinctId;
  if (appObject !== null) {
    put(out, '$app_build_number', appObject.build);
    put(out, '$app_version_string', appObject.version);
    put(out, '$app_namespace', appObject.namespace);
    put(out, '$app_name', appObject.name);
  }
  addBrowser(out, context.userAgent);
  if (networkObject !== null) {
    put(out, '$bluetooth_enabled', networkObject.bluetooth);
    put(out, '$cellular_enabled', networkObject.cellular);
    put(out, '$carrier', networkObject.carrier);
  }
  if (pageObject !== null) put(out, '$current_url', pageObject.url);
  if (deviceObject !== null) put(out, '$device', deviceObject.name);
  put(out, '$device_id', core.anonymousId);
  if (deviceObject !== null) {
    put(out, '$device_type', deviceObject.type);
    put(out, '$device_name', deviceObject.name);
  }
  put(out, '$group_id', context.groupId);
  put(out, '$identified_id', core.userId);
  out.$insert_id = core.insertId;
  if (deviceObject !== null) put(out, '$ios_ifa', exists(deviceObject.advertisingId) ? deviceObject.advertisingId : deviceObject.idfa);
  if (isObject(library)) put(out, '$lib_version', library.version);
  put(out, '$locale', context.locale);
  if (deviceObject !== null) {
    put(out, '$manufacturer', deviceObject.manufacturer);
    put(out, '$model', deviceObject.model);
  }
  if (isObject(os)) {
    put(out, '$os', os.name);
    put(out, '$os_version', os.version);
  }
  if (pageObject !== null) put(out, '$referrer', pageObject.referrer);
  if (isObject(screen)) {
    put(out, '$screen_height', screen.height);
    put(out, '$screen_width', screen.width);
    put(out, '$screen_density', screen.density);
  }
  const integration = context.integration;
  out.$source = isObject(integration) && integration.name === 'Iterable' ? 'Iterable' : 'segment';
  put(out, '$user_id', core.userId);
  if (networkObject !== null) put(out, '$wifi_enabled', networkObject.wifi);
  if (isObject(location)) put(out, 'mp_country_code', location.country);
  const libraryName = isObject(library) ? library.name : undefined;
  if (exists(libraryName) && libraryName !== '') out.mp_lib = `Segment Actions: ${typeof libraryName === 'string' ? libraryName : JSON.stringify(libraryName)}`;
  put(out, 'segment_source_name', core.sourceName);
  if (isObject(campaign)) addCampaign(out, campaign);
  if (deviceObject !== null) {
    put(out, 'advertising_id', deviceObject.advertisingId);
    put(out, 'ad_tracking_enabled', deviceObject.adTrackingEnabled);
  }
  put(out, 'timezone', context.timezone);
  if (appObject !== null) put(out, 'app_platform', appObject.platform);
  put(out, 'event_original_name', core.originalName);
  if (isObject(userAgentData)) addUserAgentData(out, userAgentData);
}

// --- internal ---

function addBrowser(out: JsonObject, userAgent: Json | undefined): void {
  if (typeof userAgent !== 'string' || userAgent === '') return;
  const browser = sniffBrowser(userAgent);
  out.$browser = browser.name;
  if (browser.version !== undefined) out.$browser_version = browser.version;
}

/** `utm_campaign` comes from `campaign.name`. */
function addCampaign(out: JsonObject, campaign: JsonObject): void {
  put(out, 'utm_campaign', campaign.name);
  put(out, 'utm_content', campaign.content);
  put(out, 'utm_medium', campaign.medium);
  put(out, 'utm_source', campaign.source);
  put(out, 'utm_term', campaign.term);
}

/** Six of the client hints; `architecture` and `model` are mapped by Actions but never sent. */
function addUserAgentData(out: JsonObject, data: JsonObject): void {
  put(out, '$mobile', data.mobile);
  put(out, '$platform', data.platform);
  put(out, '$bitness', data.bitness);
  put(out, '$platformVersion', data.platformVersion);
  put(out, '$uaFullVersion', data.uaFullVersion);
  put(out, '$wow64', data.wow64);
}

/** Actions' `@if exists`: not undefined and not null. */
function exists(value: Json | undefined): value is Json {
  return value !== undefined && value !== null;
}


