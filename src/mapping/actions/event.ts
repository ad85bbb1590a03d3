import { newObject, type Json, type JsonObject } from '../../lib/json.js';
import type { PageMessage, TrackMessage } from '../../segment/types.js';
import { addReservedNameWarnings, eventIdentityOrReason, SET_BY_MIXPANEL } from '../event-rules.js';
import { insertId } from '../insert-id.js';
import type { MappingOptions } from '../types.js';
import { actionsProperties } from './context.js';

/** Keys a message property never overrides (Actions' reserved list, docs/actions.md). */
export const ACTIONS_RESERVED: ReadonlySet<string> = new Set(['time', 'id', '$anon_id', 'distinct_id', '$group_id', '$insert_id', '$user_id']);

export type ActionsEvent = { readonly properties: JsonObject; readonly warnings: string[] } | { readonly reason: string };

/**
 * The properties of an Actions track, page or screen event (README "Replaying a workspace that
 * uses Mixpanel (Actions)"): the mapped fields, then every message property over them except
 * the reserved few. `context.traits` are not merged. Replay-safe: `$insert_id` is deterministic
 * and an event without `context.ip` gets `ip: "0"`.
 */
export function actionsEventProperties(message: TrackMessage | PageMessage, event: string, options: MappingOptions): ActionsEvent {
  const identity = eventIdentityOrReason(message, event, options);
  if ('reason' in identity) return identity;
  const properties = newObject();
  actionsProperties(
    properties,
    {
      time: message.timeMs,
      ip: eventIp(message.context.ip),
      distinctId: identity.distinct_id,
      anonymousId: message.anonymousId,
      userId: message.userId,
      insertId: insertId(message),
      sourceName: options.settings.sourceName,
      originalName: message.type === 'track' ? message.event : (message.raw.name ?? undefined),
    },
    message.context,
  );
  for (const key in message.properties) {
    const value = message.properties[key]!;
    if (value !== null && !ACTIONS_RESERVED.has(key) && !SET_BY_MIXPANEL.has(key)) properties[key] = value;
  }
  const warnings: string[] = [];
  addReservedNameWarnings(properties, warnings);
  return { properties, warnings };
}

/** `context.ip` as it is; without one, "0", so /import does not place the event where the replaying machine is. */
export function eventIp(ip: Json | undefined): Json {
  return ip === undefined || ip === null || ip === '' ? '0' : ip;
}
