import type { SegmentType } from './segment/types.js';

/** Where a line was rejected (SPEC §7 rejects format). */
export type Stage = 'input' | 'mapping' | 'mixpanel';

/** A line's place in the input: what rejects, reports and checkpoints refer to. */
export interface LineRef {
  readonly file: string;
  readonly line: number;
  readonly messageId: string | null;
}

/** The final state of one input line. Every line read ends in exactly one. */
export type LineOutcome =
  | { readonly kind: 'delivered'; readonly type: SegmentType }
  | { readonly kind: 'skipped'; readonly type: SegmentType | null; readonly reason: string }
  | {
      readonly kind: 'rejected';
      readonly type: SegmentType | null;
      readonly stage: Stage;
      readonly reason: string;
      /** Never sent because the run stopped on a fatal error: a re-run with the checkpoint retries it. */
      readonly unsent?: true;
    };

/**
 * Group reasons that differ only in their details (quoted values, times, sizes) so the report
 * counts "time … is before 1971-01-01" once, not once per timestamp.
 */
export function reasonGroup(reason: string): string {
  return reason
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>')
    .replace(/(?<=[\s(:=])\d+(\.\d+)?\b/g, 'N');
}
