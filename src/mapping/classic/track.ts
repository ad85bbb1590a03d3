import type { TrackMessage } from '../../segment/types.js';
import { buildEvent } from './event.js';
import { peopleUpdates } from './people.js';
import { routeUpdates } from './profile.js';
import type { MapResult, MappingOptions } from '../types.js';

/** Track → one /import event, plus People updates for increments and revenue (README "Mapping"). */
export function mapTrack(message: TrackMessage, options: MappingOptions): MapResult {
  return mapEventCall(message, message.event, {}, options);
}

/** Shared by track, page and screen once the event name and extra properties are known. */
export function mapEventCall(message: Parameters<typeof buildEvent>[0], event: string, extra: Parameters<typeof buildEvent>[2], options: MappingOptions): MapResult {
  const built = buildEvent(message, event, extra, options);
  if ('reason' in built) return { outcome: 'rejected', type: message.type, reason: built.reason };
  const people = routeUpdates('/engage', peopleUpdates(message, event, options, built.warnings));
  if ('reason' in people) return { outcome: 'rejected', type: message.type, reason: people.reason };
  return { outcome: 'mapped', type: message.type, records: [built.record, ...people.records], warnings: built.warnings };
}
