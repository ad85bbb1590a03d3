import type { SegmentType } from '../segment/types.js';

/** --types / --from / --to (SPEC §1): messages outside them are skipped, not rejected. */
export interface MessageFilter {
  readonly types: ReadonlySet<SegmentType> | null;
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

export const NO_FILTER: MessageFilter = { types: null, fromMs: null, toMs: null };
