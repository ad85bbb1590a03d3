import type { JsonObject } from '../../lib/json.js';
import type { EngageUpdate, GroupUpdate, MixpanelRecord } from '../../mixpanel/types.js';
import type { SegmentMessage } from '../../segment/types.js';
import { updateRecord } from '../records.js';
import type { MappingOptions } from '../types.js';

/**
 * The fields every /engage update carries (README "Mapping"): $token, $distinct_id, $time (message
 * time, ms), $ip (a string; "0" when absent so Mixpanel does not geolocate the replay machine)
 * (also "0" with `context.Mixpanel.ignoreIp`) and `$ignore_time: true` when `context.active === false`
 * or `context.Mixpanel.ignoreTime` (README "Mapping").
 */
export function profileUpdate(message: SegmentMessage, distinctId: string, options: MappingOptions, operation: JsonObject): EngageUpdate {
  const ip = message.ignoreIp ? undefined : message.context.ip;
  return {
    $token: options.token,
    $distinct_id: distinctId,
    $time: message.timeMs,
    $ip: ip === undefined || ip === null || ip === '' || ip === 0 ? '0' : String(ip),
    ...(message.ignoreTime && { $ignore_time: true as const }),
    ...operation,
  };
}

/** Serialise and limit-check profile or group updates; the first failure rejects the message. */
export function routeUpdates(
  endpoint: '/engage' | '/groups',
  updates: ReadonlyArray<EngageUpdate | GroupUpdate>,
): { records: MixpanelRecord[] } | { reason: string } {
  const records: MixpanelRecord[] = [];
  for (const update of updates) {
    const checked = endpoint === '/engage' ? updateRecord(endpoint, update as EngageUpdate) : updateRecord(endpoint, update as GroupUpdate);
    if ('reason' in checked) return checked;
    records.push(checked.record);
  }
  return { records };
}
