import type { Json } from '../../lib/json.js';
import type { PageMessage } from '../../segment/types.js';
import type { MapResult, MappingOptions } from '../types.js';
import { mapActionsEventCall } from './track.js';

/**
 * Page and screen → `Viewed {name}` (Actions' template; a call without a name is `Viewed `,
 * trailing space included). `category` is not used (README "Replaying a workspace that uses
 * Mixpanel (Actions)").
 */
export function mapActionsPage(message: PageMessage, options: MappingOptions): MapResult {
  return mapActionsEventCall(message, `Viewed ${templateText(message.raw.name)}`, options);
}

/** How Actions' template renders a value: absent or null as "", anything else as JavaScript's `String` of it. */
function templateText(value: Json | undefined): string {
  return value === undefined || value === null ? '' : String(value);
}
