import { isObject, type JsonObject } from '../../lib/json.js';
import { keySet } from '../../segment/keys.js';
import type { IdentifyMessage } from '../../segment/types.js';
import { deviceProperties } from './context-properties.js';
import { profileDistinctId } from '../identity.js';
import { profileUpdate, routeUpdates } from './profile.js';
import { emailShaped, renameSpecialTraits } from './special-traits.js';
import { normalizeProfileDates, pickTraits } from './traits.js';
import type { MapResult, MappingOptions } from '../types.js';

/**
 * Identify → /engage `$set` of the traits (special traits renamed, device context added), plus
 * `$union $ios_devices` for a push token (README "Mapping"). Only with "Use Mixpanel People".
 */
export function mapIdentify(message: IdentifyMessage, options: MappingOptions): MapResult {
  const { settings } = options;
  if (message.userId === null && message.anonymousId === null) return rejected('no distinct id: expected userId or anonymousId');
  if (!settings.people) return skipped('people disabled');
  const distinctId = profileDistinctId(message, options.identity);
  if (distinctId === null) return skipped('anonymous profile');

  const traits = settings.setAllTraitsByDefault ? message.traits : pickTraits(message.traits, keySet(settings.peopleProperties), true);
  const warnings: string[] = [];
  // Device properties are written over the traits (normalizeProfileDates returns a new object).
  const $set = deviceProperties(message.context, normalizeProfileDates(renameSpecialTraits(traits, emailShaped(message.userId), warnings)) as JsonObject);
  const updates = [profileUpdate(message, distinctId, options, { $set })];
  const device = message.context.device;
  const token = isObject(device) ? device.token : undefined;
  if (typeof token === 'string' && token !== '') updates.push(profileUpdate(message, distinctId, options, { $union: { $ios_devices: [token] } }));

  const routed = routeUpdates('/engage', updates);
  if ('reason' in routed) return rejected(routed.reason);
  return { outcome: 'mapped', type: 'identify', records: routed.records, warnings };

  function rejected(reason: string): MapResult {
    return { outcome: 'rejected', type: 'identify', reason };
  }
  function skipped(reason: string): MapResult {
    return { outcome: 'skipped', type: 'identify', reason };
  }
}
