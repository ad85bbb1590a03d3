import type { LineRef, Stage } from '../outcomes.js';
import { redact } from '../lib/redact.js';

/**
 * One line of the rejects file (SPEC §7): where, why, and the original message (decoded when it
 * is JSON, else the raw text), so it can be fixed and fed again.
 */
export function formatReject(ref: LineRef, stage: Stage, reason: string, text: string, secrets: readonly string[]): string {
  let message: unknown = text;
  try {
    message = JSON.parse(text);
  } catch {
    // not JSON: keep the raw text
  }
  const line = JSON.stringify({ file: ref.file, line: ref.line, messageId: ref.messageId, stage, reason, message });
  return `${redact(line, secrets)}\n`;
}
