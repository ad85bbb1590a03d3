import type { LineRef } from '../outcomes.js';
import type { SettledLine } from './protocol.js';
import type { InputLine } from '../input/types.js';

// Kept apart from process-line.ts: the main thread settles the reader's bad lines itself and
// should not load the mapping code for that.

/** A line the reader already found bad (over-long, invalid UTF-8, truncated gzip): rejected at input. */
export function badLine(input: InputLine & { kind: 'bad' }): SettledLine {
  return rejectedInput({ file: input.file, line: input.line, messageId: null }, input.reason, input.text);
}

/** A line rejected before mapping: unreadable, not JSON, or not an object. */
export function rejectedInput(ref: LineRef, reason: string, text: string): SettledLine {
  return { kind: 'settled', ref, type: null, outcome: { kind: 'rejected', type: null, stage: 'input', reason }, text };
}
