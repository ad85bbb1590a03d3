import type { JsonObject } from '../../lib/json.js';
import type { EngageUpdate, GroupUpdate, MixpanelRecord } from '../../mixpanel/types.js';
import { checkUpdate } from '../limits.js';

/** Serialise an /engage or /groups update and check it against Mixpanel's limits. */
export function updateRecord(endpoint: '/engage', update: EngageUpdate): { record: MixpanelRecord } | { reason: string };
export function updateRecord(endpoint: '/groups', update: GroupUpdate): { record: MixpanelRecord } | { reason: string };
export function updateRecord(endpoint: '/engage' | '/groups', update: EngageUpdate | GroupUpdate): { record: MixpanelRecord } | { reason: string } {
  const json = JSON.stringify(update);
  const reason = checkUpdate(update as JsonObject, json);
  if (reason !== null) return { reason: `${endpoint} update: ${reason}` };
  return { record: endpoint === '/engage' ? { endpoint, record: update as EngageUpdate, json } : { endpoint, record: update as GroupUpdate, json } };
}

/** A trait value Actions writes under a Mixpanel name: present when neither absent nor null. */
export function putTrait(out: JsonObject, key: string, value: JsonObject[string] | undefined): void {
  if (value !== undefined && value !== null) out[key] = value;
}
