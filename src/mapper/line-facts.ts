import { hash64 } from '../lib/hash64.js';
import { LINE_FLAGS } from '../lib/line-flags.js';
import { isPlaceholderId } from '../segment/ids.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';

/**
 * The dedupe key of a message (README "Options"): a 64-bit hash of its type and messageId,
 * computed where the line is mapped; the main thread decides in input order.
 */
export function dedupeKey(type: SegmentType, messageId: string): { readonly hi: number; readonly lo: number } {
  return hash64(SEGMENT_TYPES.indexOf(type), messageId);
}

/** Collects, per line with records, its flags and dedupe key (two 32-bit halves), for a packed block. */
export class LineFactsBuilder {
  private readonly flags: number[] = [];
  private readonly keys: number[] = [];

  /** An empty or placeholder messageId ("", "null", "undefined", …) is no key: such messages are never deduplicated. */
  add(type: SegmentType, messageId: string | null, deviceMode: boolean): void {
    let flags = deviceMode ? LINE_FLAGS.deviceMode : 0;
    if (messageId === null || isPlaceholderId(messageId)) {
      this.keys.push(0, 0);
    } else {
      const { hi, lo } = dedupeKey(type, messageId);
      this.keys.push(hi, lo);
      flags |= LINE_FLAGS.keyed;
    }
    this.flags.push(flags);
  }

  take(): { readonly flags: Uint8Array; readonly keys: Uint32Array } {
    return { flags: Uint8Array.from(this.flags), keys: Uint32Array.from(this.keys) };
  }
}
