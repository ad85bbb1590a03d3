import { newObject } from '../../lib/json.js';
import type { EngageUpdate, GroupUpdate } from '../../mixpanel/types.js';
import { findKey, keySet, normalizeKey } from '../../segment/keys.js';
import type { GroupMessage } from '../../segment/types.js';
import { profileDistinctId } from '../identity.js';
import { profileUpdate, routeUpdates } from './profile.js';
import { normalizeProfileDates } from './traits.js';
import type { MapResult, MappingOptions } from '../types.js';

/**
 * Group → one /groups profile per configured group key present in the call, and with People
 * on and a userId, an /engage `$union` that puts the user in the group (README "Mapping"). Group
 * updates carry no distinct id, so a call without userId and anonymousId still sends them
 * (README "Mapping").
 */
export function mapGroup(message: GroupMessage, options: MappingOptions): MapResult {
  const { settings } = options;
  const setOnce = keySet(settings.groupTraitsToSetOnce);
  const groups: GroupUpdate[] = [];
  const memberships: EngageUpdate[] = [];
  const userId = settings.people ? profileDistinctId(message, options.identity, true) : null;

  // The same traits go to every group key of the call; null traits are not sent.
  const $set = newObject();
  const $set_once = newObject();
  for (const trait in message.traits) {
    const value = message.traits[trait]!;
    if (value !== null) (setOnce.has(normalizeKey(trait)) ? $set_once : $set)[trait] = normalizeProfileDates(value);
  }
  for (const [groupKey, groupId] of groupKeys(message, settings.groupIdentifierTraits)) {
    const base = { $token: options.token, $group_key: groupKey, $group_id: groupId };
    if (Object.keys($set).length > 0) groups.push({ ...base, $set });
    if (Object.keys($set_once).length > 0) groups.push({ ...base, $set_once });
    if (userId !== null) memberships.push(profileUpdate(message, userId, options, { $union: { [groupKey]: [groupId] } }));
  }
  if (groups.length === 0 && memberships.length === 0) return { outcome: 'skipped', type: 'group', reason: 'no group identifier trait' };

  const groupRecords = routeUpdates('/groups', groups);
  if ('reason' in groupRecords) return { outcome: 'rejected', type: 'group', reason: groupRecords.reason };
  const memberRecords = routeUpdates('/engage', memberships);
  if ('reason' in memberRecords) return { outcome: 'rejected', type: 'group', reason: memberRecords.reason };
  return { outcome: 'mapped', type: 'group', records: [...groupRecords.records, ...memberRecords.records], warnings: [] };
}

/**
 * [group key as spelled in the settings, group id] for each `groupIdentifierTraits` entry whose
 * value is present; `groupId` means the message's own groupId. The settings' spelling is the
 * group key the Mixpanel project is configured with, whatever spelling matched in the traits.
 */
function groupKeys(message: GroupMessage, identifiers: readonly string[]): Array<[string, string | number]> {
  const found: Array<[string, string | number]> = [];
  for (const identifier of identifiers) {
    if (normalizeKey(identifier) === 'groupid') {
      if (message.groupId !== null) found.push([identifier, message.groupId]);
      continue;
    }
    const key = findKey(message.traits, identifier);
    if (key === undefined) continue;
    const value = message.traits[key];
    if (typeof value === 'number' || (typeof value === 'string' && value !== '')) found.push([identifier, value]);
  }
  return found;
}
