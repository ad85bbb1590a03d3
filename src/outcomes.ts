import type { SegmentType } from './segment/types.js';

/** Where a line was rejected (README "Resume and checkpoint" rejects format). */
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

/**
 * The machine code of a reason (README "The JSON report"): stable words a monitor can match,
 * beside the human text, which may change. The first pattern that matches decides.
 */
export function reasonCode(kind: 'skipped' | 'rejected', stage: Stage | undefined, reason: string): string {
  const table = kind === 'skipped' ? SKIP_CODES : stage === 'mixpanel' ? MIXPANEL_CODES : REJECT_CODES;
  for (const [pattern, code] of table) if (pattern.test(reason)) return code;
  return kind === 'skipped' ? 'skipped_other' : 'rejected_other';
}

const SKIP_CODES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^disabled for Mixpanel/, 'disabled_by_integrations'],
  [/--types/, 'filtered_by_type'],
  [/--from|--to/, 'filtered_by_time'],
  [/^no group identifier/, 'no_group_identifier'],
  [/^no page option/, 'page_not_tracked'],
  [/^alias has no effect/, 'alias_not_needed'],
  [/^people disabled/, 'people_disabled'],
  [/^anonymous profile/, 'anonymous_profile'],
];

const MIXPANEL_CODES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^not delivered: the run stopped \(giving up after \d+ attempts: 429/, 'rate_limited'],
  [/^not delivered: the run stopped/, 'not_sent'],
  [/./, 'mixpanel_rejected'],
];

const REJECT_CODES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^invalid JSON/, 'invalid_json'],
  [/^not a JSON object/, 'not_an_object'],
  [/not valid UTF-8/, 'invalid_utf8'],
  [/^line is .* bytes/, 'line_too_long'],
  [/^truncated gzip/, 'truncated_input'],
  [/^unsupported type/, 'unsupported_type'],
  [/^no distinct id/, 'no_distinct_id'],
  [/^no timestamp/, 'no_timestamp'],
  [/is not an ISO-8601 date/, 'invalid_time'],
  [/^time .* (before 1971|after the run start)/, 'time_out_of_range'],
  [/event name/, 'no_event_name'],
  [/^alias /, 'invalid_alias'],
  [/: expected an object$/, 'invalid_field'],
  [/properties: Mixpanel accepts|bytes of JSON|nested .* levels/, 'over_mixpanel_limit'],
];
