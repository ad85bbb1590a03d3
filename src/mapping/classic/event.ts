import { isObject, newObject, type Json, type JsonObject } from '../../lib/json.js';
import type { Settings } from '../../config/settings-types.js';
import type { MixpanelRecord } from '../../mixpanel/types.js';
import { keySet, normalizeKey } from '../../segment/keys.js';
import type { PageMessage, TrackMessage } from '../../segment/types.js';
import { addEventContextProperties, libraryName } from './context-properties.js';
import { insertId } from '../insert-id.js';
import { emailShaped, renameSpecialTraits } from './special-traits.js';
import { pickTraits } from './traits.js';
import type { MappingOptions } from '../types.js';
import { addReservedNameWarnings, eventIdentityOrReason, SET_BY_MIXPANEL } from '../event-rules.js';
import { importRecord } from '../records.js';

/** Message properties that become Mixpanel ones: `searchEngine` → `$search_engine`, … (README "Mapping"). */
const RENAMED_PROPERTIES = new Map([
  ['searchengine', '$search_engine'],
  ['username', '$username'],
  ['referrer', '$referrer'],
]);

export type EventResult = { readonly record: MixpanelRecord; readonly warnings: string[] } | { readonly reason: string };

/**
 * Build the /import event of a track, page or screen call (README "Mapping"): super properties
 * from `context.traits`, under the message's own properties, under the mapped fields.
 */
export function buildEvent(message: TrackMessage | PageMessage, event: string, extra: JsonObject, options: MappingOptions): EventResult {
  const identity = eventIdentityOrReason(message, event, options);
  if ('reason' in identity) return identity;

  const core: JsonObject = { time: message.timeMs, ...identity, $insert_id: insertId(message), token: options.token };
  const renamed = newObject();
  // One null-prototype object filled in layers: V8 keeps it in dictionary mode, so the
  // ever-changing key sets of events do not each create a hidden class (see bench/).
  const properties = newObject();
  assign(properties, core);
  const warnings: string[] = [];
  assign(properties, superProperties(message, options.settings, warnings), SET_BY_MIXPANEL);
  // `for…in` over decoded JSON (here and in the mapping's other key loops): every key is the
  // object's own, and V8 reads each value through the key cache rather than a generic lookup.
  for (const key in message.properties) {
    const value = message.properties[key]!;
    const target = RENAMED_PROPERTIES.get(normalizeKey(key));
    if (target !== undefined) {
      if (!(target in renamed)) renamed[target] = value;
    } else if (value !== null && !SET_BY_MIXPANEL.has(key)) {
      properties[key] = value;
    }
  }
  assign(properties, extra);

  properties.ip = eventIp(message, properties.ip);
  const library = libraryName(message.context);
  if (library !== null) properties.mp_lib = `Segment: ${library}`;
  addEventContextProperties(properties, message.context, renamed.$referrer);
  for (const key of ['$search_engine', '$username'] as const) {
    const value = renamed[key];
    if (value !== undefined && value !== null) properties[key] = value;
  }
  if (options.settings.sourceName !== null) properties.segment_source_name = options.settings.sourceName;
  assign(properties, core);
  const built = importRecord(event, properties);
  if ('reason' in built) return built;
  addReservedNameWarnings(properties, warnings);
  return { record: built.record, warnings };
}

/**
 * Super properties (README "Mapping"): the message's `context.traits`, all of them or only
 * `superProperties`, special traits renamed (an e-mail-shaped userId stands in for a missing
 * `email` when `email` may pass), no `id` added (`assign` drops the nulls).
 */
function superProperties(message: TrackMessage | PageMessage, settings: Settings, warnings: string[]): JsonObject {
  const traits = message.context.traits;
  const allowed = settings.setAllTraitsByDefault ? null : keySet(settings.superProperties);
  const userEmail = allowed === null || allowed.has('email') ? emailShaped(message.userId) : null;
  if (!isObject(traits)) return userEmail === null ? NO_TRAITS : renameSpecialTraits(NO_TRAITS, userEmail, warnings);
  return renameSpecialTraits(allowed === null ? traits : pickTraits(traits, allowed, false), userEmail, warnings);
}

const NO_TRAITS: JsonObject = Object.freeze(newObject());

/**
 * `context.ip` (0 kept as 0); without one, the message's own `ip` property, else "0": `/import`
 * would otherwise place the event where the replaying machine is. `context.Mixpanel.ignoreIp`
 * always gives "0" (README "Mapping").
 */
function eventIp(message: TrackMessage | PageMessage, propertyIp: Json | undefined): Json {
  if (message.ignoreIp) return '0';
  const ip = message.context.ip;
  if (ip !== undefined && ip !== null && ip !== '') return ip;
  return propertyIp ?? '0';
}

/** Copy the non-null values of `from` into `to` (later layers win), leaving out the `except` keys. */
function assign(to: JsonObject, from: JsonObject, except?: ReadonlySet<string>): void {
  for (const key in from) {
    const value = from[key]!;
    if (value !== null && except?.has(key) !== true) to[key] = value;
  }
}
