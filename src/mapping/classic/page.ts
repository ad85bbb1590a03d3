import type { JsonObject } from '../../lib/json.js';
import type { Settings } from '../../config/settings-types.js';
import type { PageMessage } from '../../segment/types.js';
import { mapEventCall } from './track.js';
import type { MapResult, MappingOptions } from '../types.js';

/** Page and screen → at most one /import event (README "Mapping"); screen says "Screen" where page says "Page". */
export function mapPage(message: PageMessage, options: MappingOptions): MapResult {
  const event = pageEventName(message, options.settings);
  if (event === null) return { outcome: 'skipped', type: message.type, reason: 'no page option matches' };
  const extra: JsonObject = {};
  if (message.name !== null) extra.name = message.name;
  if (message.category !== null) extra.category = message.category;
  return mapEventCall(message, event, extra, options);
}

/** The first matching page option names the event: consolidated, all, categorized, named. */
function pageEventName(message: Pick<PageMessage, 'type' | 'name' | 'category'>, settings: Settings): string | null {
  const noun = message.type === 'screen' ? 'Screen' : 'Page';
  const { name, category } = message;
  if (settings.consolidatedPageCalls || settings.trackAllPages) return `Loaded a ${noun}`;
  if (settings.trackCategorizedPages && category !== null) return name !== null ? `Viewed ${category} ${name} ${noun}` : `Viewed ${category} ${noun}`;
  if (settings.trackNamedPages && name !== null) return `Viewed ${name} ${noun}`;
  return null;
}
