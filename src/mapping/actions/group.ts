import { newObject, type Json, type JsonObject } from '../../lib/json.js';
import type { GroupMessage } from '../../segment/types.js';
import type { MapResult, MappingOptions } from '../types.js';
import { updateRecord } from '../records.js';
import { putTrait } from './put-trait.js';

const RENAMED_GROUP_TRAITS = new Set(['created', 'createdAt', 'created_at', 'name']);

/**
 * Group → one /groups `$set` under the `group_key` setting (default `$group_id`), the group id
 * being `traits[group_key]` when truthy, else the message's groupId; no user-profile link
 * (README "Replaying a workspace that uses Mixpanel (Actions)").
 */
export function mapActionsGroup(message: GroupMessage, options: MappingOptions): MapResult {
  if (message.groupId === null) return rejected('group without a groupId: the Actions group mapping requires one');
  if (message.raw.traits === undefined || message.raw.traits === null) return rejected('group without traits: the Actions group mapping requires them');
  const groupKey = options.settings.groupKey ?? '$group_id';
  const keyed = message.traits[groupKey];
  const groupId = (typeof keyed === 'string' && keyed !== '') || (typeof keyed === 'number' && keyed !== 0) ? keyed : String(message.groupId);
  const routed = updateRecord('/groups', { $token: options.token, $group_key: groupKey, $group_id: groupId, $set: groupSet(message.traits) });
  if ('reason' in routed) return rejected(routed.reason);
  return { outcome: 'mapped', type: 'group', records: [routed.record], warnings: [] };
}

/** The traits without created/createdAt/created_at/name, then `$name` and `$created`. */
function groupSet(traits: JsonObject): JsonObject {
  const $set = newObject();
  for (const key in traits) if (!RENAMED_GROUP_TRAITS.has(key)) $set[key] = traits[key]!;
  putTrait($set, '$name', traits.name);
  const created: Json | undefined = traits.created ?? traits.createdAt ?? traits.created_at;
  putTrait($set, '$created', created);
  return $set;
}

function rejected(reason: string): MapResult {
  return { outcome: 'rejected', type: 'group', reason };
}
