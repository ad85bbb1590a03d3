import type { JsonObject } from '../lib/json.js';
import type { SegmentMessage } from '../segment/types.js';
import { eventIdentity, type EventIdentity } from './identity.js';
import type { MappingOptions } from './types.js';

/**
 * The event rules both presets share (README "Mapping"): what Mixpanel sets itself, which
 * events are identity events, and which property names are reserved.
 */

/** Properties Mixpanel sets itself at ingestion: never forwarded from message properties or super properties. */
export const SET_BY_MIXPANEL: ReadonlySet<string> = new Set([
  '$import', '$mp_api_endpoint', '$mp_api_timestamp_ms', 'mp_processing_time_ms', '$mp_event_size',
  '$distinct_id_before_identity', '$is_reshuffled', '$preshuffle_distinct_id', '$failure_reason',
  '$failure_description', '$identity_failure_reason', 'mp_original_distinct_id', 'mp_original_event_name',
]);

/** Identity events: never sent to a simplified ID merge project (README "Identity modes"). */
const IDENTITY_EVENTS: ReadonlySet<string> = new Set(['$identify', '$create_alias', '$merge']);

/** Names Mixpanel treats specially: sent unchanged, counted as a warning. */
const RESERVED_NAMES = ['length', 'bucket'] as const;

/** The identity properties of an event named `event`, or why it cannot be sent: an identity event to a simplified project, or no id. */
export function eventIdentityOrReason(message: SegmentMessage, event: string, options: MappingOptions): EventIdentity | { readonly reason: string } {
  if (options.identity === 'simplified' && IDENTITY_EVENTS.has(event)) return { reason: identityEventProblem(event) };
  return eventIdentity(message, options.identity) ?? { reason: 'no distinct id: expected userId or anonymousId (placeholder ids such as "anonymous" count as absent)' };
}

function identityEventProblem(event: string): string {
  return `event name "${event}" is an identity event: Mixpanel rejects the whole batch on a simplified ID merge project`;
}

export function addReservedNameWarnings(properties: JsonObject, warnings: string[]): void {
  for (const name of RESERVED_NAMES) if (name in properties) warnings.push(`reserved property name "${name}"`);
}
