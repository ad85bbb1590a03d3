import { newObject, type JsonObject } from '../../lib/json.js';
import type { MixpanelRecord } from '../../mixpanel/types.js';
import type { IdentifyMessage } from '../../segment/types.js';
import { profileDistinctId } from '../identity.js';
import { insertId } from '../insert-id.js';
import type { MapResult, MappingOptions } from '../types.js';
import { importRecord, updateRecord } from '../records.js';
import { eventIp } from './event.js';
import { putTrait } from './put-trait.js';

/** Traits Actions sends under Mixpanel's names instead of their own. */
const SPECIAL_TRAITS = new Set(['created', 'createdAt', 'created_at', 'email', 'firstName', 'lastName', 'name', 'username', 'phone']);

/**
 * Identify → a `$identify` event linking anonymousId to userId, and an /engage `$set` of the
 * traits (README "Replaying a workspace that uses Mixpanel (Actions)"). Replay-safe: the
 * `$identify` goes to /import with the message's time and a deterministic `$insert_id`, only
 * when both ids exist and never in simplified mode; the `$set` carries the message's time and
 * `$ip` "0" without `context.ip`.
 */
export function mapActionsIdentify(message: IdentifyMessage, options: MappingOptions): MapResult {
  const { userId, anonymousId } = message;
  if (userId === null && anonymousId === null) return { outcome: 'rejected', type: 'identify', reason: 'no distinct id: expected userId or anonymousId' };
  const records: MixpanelRecord[] = [];
  if (options.identity === 'original' && userId !== null && anonymousId !== null) {
    const routed = importRecord('$identify', identifyProperties(message, userId, anonymousId, options));
    if ('reason' in routed) return { outcome: 'rejected', type: 'identify', reason: routed.reason };
    records.push(routed.record);
  }
  const distinctId = profileDistinctId(message, options.identity);
  if (distinctId !== null && Object.keys(message.traits).length > 0) {
    const ip = eventIp(message.context.ip);
    const update = { $token: options.token, $distinct_id: distinctId, $time: message.timeMs, $ip: typeof ip === 'string' ? ip : String(ip), $set: profileSet(message.traits) };
    const routed = updateRecord('/engage', update);
    if ('reason' in routed) return { outcome: 'rejected', type: 'identify', reason: routed.reason };
    records.push(routed.record);
  }
  if (records.length === 0) return { outcome: 'skipped', type: 'identify', reason: skipReason(message, options) };
  return { outcome: 'mapped', type: 'identify', records, warnings: [] };
}

function identifyProperties(message: IdentifyMessage, userId: string, anonymousId: string, options: MappingOptions): JsonObject {
  const properties: JsonObject = {
    time: message.timeMs,
    distinct_id: userId,
    $identified_id: userId,
    $anon_id: anonymousId,
    token: options.token,
    $insert_id: insertId(message),
    ip: eventIp(message.context.ip),
  };
  if (options.settings.sourceName !== null) properties.segment_source_name = options.settings.sourceName;
  return properties;
}

/** The traits without the special ones, then `$created`, `$email`, `$first_name`, `$last_name`, `$name`, `$username`, `$phone`. */
function profileSet(traits: JsonObject): JsonObject {
  const $set = newObject();
  for (const key in traits) if (!SPECIAL_TRAITS.has(key)) $set[key] = traits[key]!;
  putTrait($set, '$created', traits.created ?? traits.createdAt ?? traits.created_at);
  putTrait($set, '$email', traits.email);
  putTrait($set, '$first_name', traits.firstName);
  putTrait($set, '$last_name', traits.lastName);
  const { firstName, lastName } = traits;
  putTrait($set, '$name', traits.name ?? (firstName && lastName ? `${String(firstName)} ${String(lastName)}` : undefined));
  putTrait($set, '$username', traits.username);
  putTrait($set, '$phone', traits.phone);
  return $set;
}

function skipReason(message: IdentifyMessage, options: MappingOptions): string {
  if (options.identity === 'simplified' && message.userId === null) return 'anonymous profile';
  return 'identify without traits and without both userId and anonymousId';
}
