import { isObject, type JsonObject } from '../lib/json.js';

/**
 * Whether the message was already sent to Mixpanel by a browser or mobile SDK (README
 * "Options", `--skip-device-mode`): Segment lists the destinations it bundled on the device in
 * `_metadata.bundled`, as "Mixpanel"; any case is accepted.
 */
export function sentByDeviceMode(raw: JsonObject): boolean {
  const metadata = raw._metadata;
  if (!isObject(metadata)) return false;
  const bundled = metadata.bundled;
  if (!Array.isArray(bundled)) return false;
  for (const name of bundled) if (typeof name === 'string' && name.toLowerCase() === 'mixpanel') return true;
  return false;
}
