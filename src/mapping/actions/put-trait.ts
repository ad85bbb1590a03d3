import type { JsonObject } from '../../lib/json.js';

/** A trait value Actions writes under a Mixpanel name: present when neither absent nor null. */
export function putTrait(out: JsonObject, key: string, value: JsonObject[string] | undefined): void {
  if (value !== undefined && value !== null) out[key] = value;
}
