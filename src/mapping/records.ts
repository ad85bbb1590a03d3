import type { JsonObject } from '../lib/json.js';
import type { EngageUpdate, GroupUpdate, ImportEvent, MixpanelRecord } from '../mixpanel/types.js';
import { checkEventProperties, checkUpdate } from './limits.js';

/** One record serialised as it is sent, or why Mixpanel's limits refuse it. */
export type CheckedRecord = { readonly record: MixpanelRecord } | { readonly reason: string };

/** Serialise an /import event and check it against Mixpanel's limits. */
export function importRecord(event: string, properties: JsonObject): CheckedRecord {
  const record: ImportEvent = { event, properties };
  const json = JSON.stringify(record);
  const reason = checkEventProperties(properties, json);
  return reason === null ? { record: { endpoint: '/import', record, json } } : { reason };
}

/** Serialise an /engage or /groups update and check it against Mixpanel's limits. */
export function updateRecord(endpoint: '/engage', update: EngageUpdate): CheckedRecord;
export function updateRecord(endpoint: '/groups', update: GroupUpdate): CheckedRecord;
export function updateRecord(endpoint: '/engage' | '/groups', update: EngageUpdate | GroupUpdate): CheckedRecord {
  const json = JSON.stringify(update);
  const reason = checkUpdate(update as JsonObject, json);
  if (reason !== null) return { reason: `${endpoint} update: ${reason}` };
  return { record: endpoint === '/engage' ? { endpoint, record: update as EngageUpdate, json } : { endpoint, record: update as GroupUpdate, json } };
}
