import type { SegmentType } from '../segment/types.js';

/** --types / --from / --to / --skip-device-mode (README "Options"): messages outside them are skipped, not rejected. */
export interface MessageFilter {
  readonly types: ReadonlySet<SegmentType> | null;
  readonly fromMs: number | null;
  readonly toMs: number | null;
  /** Skip the messages device mode sent already ("sent by device mode"); else they are replayed and counted. */
  readonly skipDeviceMode: boolean;
}

export const NO_FILTER: MessageFilter = { types: null, fromMs: null, toMs: null, skipDeviceMode: false };
