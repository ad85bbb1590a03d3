import type { JsonObject } from '../lib/json.js';
import { MAX_FUTURE_MS, MIN_EVENT_TIME_MS } from '../mixpanel/limits.js';
import { parseMessage } from '../segment/parse.js';
import type { SegmentMessage } from '../segment/types.js';
import { mapAlias } from './classic/alias.js';
import { mapGroup } from './classic/group.js';
import { mapIdentify } from './classic/identify.js';
import { mapPage } from './classic/page.js';
import { mapTrack } from './classic/track.js';
import { mapActionsMessage } from './actions/index.js';
import type { MapResult, MappingOptions } from './types.js';

export type { MapResult, MappingOptions } from './types.js';

/**
 * One decoded Segment message → its Mixpanel records, or the reason it is skipped or rejected.
 * Pure: the result depends only on the message and the options (README "Mapping").
 */
export function mapMessage(raw: JsonObject, options: MappingOptions): MapResult {
  const parsed = parseMessage(raw);
  if (!parsed.ok) return { outcome: parsed.outcome, type: parsed.type, reason: parsed.reason };
  const message = parsed.message;
  const timeProblem = checkTime(message.timeMs, options.runStartMs);
  if (timeProblem !== null) return { outcome: 'rejected', type: message.type, reason: timeProblem };
  return options.preset === 'actions' ? mapActionsMessage(message, options) : mapClassic(message, options);
}

/** The classic destination's mapping (README "Mapping"). */
function mapClassic(message: SegmentMessage, options: MappingOptions): MapResult {
  switch (message.type) {
    case 'track':
      return mapTrack(message, options);
    case 'page':
    case 'screen':
      return mapPage(message, options);
    case 'identify':
      return mapIdentify(message, options);
    case 'alias':
      return mapAlias(message, options);
    case 'group':
      return mapGroup(message, options);
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

/** Mixpanel rejects times before 1971-01-01 and more than 1 h after ingestion (≈ the run start). */
function checkTime(timeMs: number, runStartMs: number): string | null {
  if (timeMs < MIN_EVENT_TIME_MS) return `time ${iso(timeMs)} is before 1971-01-01: Mixpanel rejects it`;
  if (timeMs > runStartMs + MAX_FUTURE_MS) return `time ${iso(timeMs)} is more than 1 hour after the run start ${iso(runStartMs)}`;
  return null;
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
