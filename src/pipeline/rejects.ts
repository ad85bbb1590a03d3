import type { Stage } from './outcomes.js';
import type { LineRef } from './outcomes.js';

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

/** Replace every occurrence of a secret by "<redacted>". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('<redacted>');
  return out;
}
