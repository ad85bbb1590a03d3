import type { Json, JsonObject } from '../lib/json.js';

/** Mixpanel's ingestion endpoints, in the order used wherever they are numbered. */
export const ENDPOINTS = ['/import', '/engage', '/groups'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** One event for POST /import. `properties` holds time (ms), distinct_id, $insert_id and token. */
export interface ImportEvent {
  readonly event: string;
  readonly properties: JsonObject;
}

export type ProfileOperation = '$set' | '$set_once' | '$add' | '$append' | '$union';

/** One user-profile update for POST /engage (exactly one operation key). */
export interface EngageUpdate {
  readonly $token: string;
  readonly $distinct_id: string;
  readonly $time: number;
  readonly $ip: string;
  readonly $ignore_time?: true;
  readonly [operation: string]: Json | undefined;
}

/** One group-profile update for POST /groups. Never carries $distinct_id. */
export interface GroupUpdate {
  readonly $token: string;
  readonly $group_key: string;
  readonly $group_id: string | number;
  readonly [operation: string]: Json | undefined;
}

/**
 * A record routed to its endpoint: the discriminant decides where it is sent. `json` is the
 * record serialised once, exactly as it goes on the wire and into dry-run output.
 */
export type MixpanelRecord =
  | { readonly endpoint: '/import'; readonly record: ImportEvent; readonly json: string }
  | { readonly endpoint: '/engage'; readonly record: EngageUpdate; readonly json: string }
  | { readonly endpoint: '/groups'; readonly record: GroupUpdate; readonly json: string };

/**
 * What the pipeline moves around: the serialised record and the few facts the sender needs.
 * Plain data, so it crosses worker-thread boundaries cheaply.
 */
export interface RoutedRecord {
  readonly endpoint: Endpoint;
  readonly json: string;
  /** The distinct id the record is about (none for group updates): what alias ordering keys on. */
  readonly distinctId: string | null;
  /** For `$create_alias`: the new id it links. */
  readonly aliasFor: string | null;
  /** `$add` / `$append` are not safe to re-send. */
  readonly idempotent: boolean;
}

export function toRouted(item: MixpanelRecord): RoutedRecord {
  const { endpoint, json } = item;
  if (item.endpoint === '/import') {
    const { properties, event } = item.record;
    const distinctId = typeof properties.distinct_id === 'string' ? properties.distinct_id : null;
    const aliasFor = event === '$create_alias' && typeof properties.alias === 'string' ? properties.alias : null;
    return { endpoint, json, distinctId, aliasFor, idempotent: true };
  }
  const distinctId = item.endpoint === '/engage' ? item.record.$distinct_id : null;
  return { endpoint, json, distinctId, aliasFor: null, idempotent: isIdempotent(item) };
}

/** `$add` and `$append` change a profile each time they arrive: re-sending them is not safe. */
export function isIdempotent(item: MixpanelRecord): boolean {
  return item.endpoint === '/import' || !('$add' in item.record || '$append' in item.record);
}
