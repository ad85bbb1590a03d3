import type { IdentityMode } from '../config/settings-types.js';
import type { SegmentMessage } from '../segment/types.js';

/** The identity properties of an /import event (README "Identity modes"). */
export interface EventIdentity {
  readonly distinct_id: string;
  readonly $device_id?: string;
  readonly $user_id?: string;
}

/**
 * The one place the ID-merge rules live.
 * - original: distinct_id = userId ‖ anonymousId.
 * - simplified: $device_id = anonymousId, $user_id = userId, distinct_id = userId ‖ "$device:" + anonymousId.
 * Returns null when the message has no usable id (the message is then rejected).
 */
export function eventIdentity(message: SegmentMessage, mode: IdentityMode): EventIdentity | null {
  const { userId, anonymousId } = message;
  if (mode === 'original') {
    const id = userId ?? anonymousId;
    return id === null ? null : { distinct_id: id };
  }
  if (userId === null && anonymousId === null) return null;
  return {
    distinct_id: userId ?? `$device:${anonymousId}`,
    ...(anonymousId !== null && { $device_id: anonymousId }),
    ...(userId !== null && { $user_id: userId }),
  };
}

/**
 * The `$distinct_id` of a profile update, or null when none may be sent.
 * Original mode: userId ‖ anonymousId (`usersOnly`: userId, as for increments and group membership).
 * Simplified mode: userId only, never an anonymous profile.
 */
export function profileDistinctId(message: SegmentMessage, mode: IdentityMode, usersOnly = false): string | null {
  if (mode === 'simplified' || usersOnly) return message.userId;
  return message.userId ?? message.anonymousId;
}

/** Aliases only exist in original mode: `$create_alias` links previousId (existing) to userId (new). */
export function aliasIdentity(message: { previousId: string | null; userId: string | null }): { existing: string; alias: string } | string {
  if (message.previousId === null) return 'alias without previousId';
  if (message.userId === null) return 'alias without userId';
  if (message.previousId === message.userId) return `alias previousId and userId are both ${JSON.stringify(message.userId)}`;
  return { existing: message.previousId, alias: message.userId };
}
