import type { JsonObject } from '../lib/json.js';

export const SEGMENT_TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** Fields every validated Segment message carries. Ids are already placeholder-filtered strings. */
interface Common {
  /** Segment's own messageId, untouched (null when absent). */
  readonly messageId: string | null;
  /** Message time, epoch milliseconds (from timestamp ‖ originalTimestamp ‖ receivedAt). */
  readonly timeMs: number;
  readonly userId: string | null;
  /** `anonymousId`, else the legacy `sessionId`. */
  readonly anonymousId: string | null;
  /** `context.Mixpanel.ignoreIp === true`: events and profile updates are not geolocated (ip "0"). */
  readonly ignoreIp: boolean;
  /** `context.active === false` or `context.Mixpanel.ignoreTime === true`: profile updates carry `$ignore_time`. */
  readonly ignoreTime: boolean;
  readonly context: JsonObject;
  /** The message exactly as read, for canonical hashing. */
  readonly raw: JsonObject;
}

export interface TrackMessage extends Common {
  readonly type: 'track';
  readonly event: string;
  readonly properties: JsonObject;
}

export interface PageMessage extends Common {
  readonly type: 'page' | 'screen';
  /** Empty strings are normalised to null. */
  readonly name: string | null;
  readonly category: string | null;
  readonly properties: JsonObject;
}

export interface IdentifyMessage extends Common {
  readonly type: 'identify';
  readonly traits: JsonObject;
}

export interface AliasMessage extends Common {
  readonly type: 'alias';
  /** `previousId`, else the legacy `from` (the userId of an alias is `userId`, else `to`). */
  readonly previousId: string | null;
}

export interface GroupMessage extends Common {
  readonly type: 'group';
  readonly groupId: string | number | null;
  readonly traits: JsonObject;
}

export type SegmentMessage = TrackMessage | PageMessage | IdentifyMessage | AliasMessage | GroupMessage;
