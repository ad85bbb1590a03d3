import type { SegmentMessage } from '../../segment/types.js';
import type { MapResult, MappingOptions } from '../types.js';
import { mapActionsAlias } from './alias.js';
import { mapActionsGroup } from './group.js';
import { mapActionsIdentify } from './identify.js';
import { mapActionsPage } from './page.js';
import { mapActionsTrack } from './track.js';

/**
 * A valid message mapped as Segment's Mixpanel (Actions) destination's default subscriptions do
 * (README "Replaying a workspace that uses Mixpanel (Actions)"; docs/actions.md).
 */
export function mapActionsMessage(message: SegmentMessage, options: MappingOptions): MapResult {
  switch (message.type) {
    case 'track':
      return mapActionsTrack(message, options);
    case 'page':
    case 'screen':
      return mapActionsPage(message, options);
    case 'identify':
      return mapActionsIdentify(message, options);
    case 'group':
      return mapActionsGroup(message, options);
    case 'alias':
      return mapActionsAlias(message, options);
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}
