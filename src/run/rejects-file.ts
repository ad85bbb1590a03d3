import type { LineRef, Stage } from '../outcomes.js';
import { redact } from '../lib/redact.js';
import { MAX_MESSAGE_DEPTH, nestedDeeperThan } from '../lib/json-depth.js';
import type { Json } from '../lib/json.js';

/**
 * One line of the rejects file (README "Resume and checkpoint"): where, why, and the original message (decoded when it
 * is JSON, else the raw text), so it can be fixed and fed again. A message nested too deep for
 * JSON.stringify (docs/architecture.md, "Nesting") is written as its original JSON text.
 */
export function formatReject(ref: LineRef, stage: Stage, reason: string, text: string, secrets: readonly string[]): string {
  let message: unknown = text;
  let rawJson: string | null = null;
  try {
    message = JSON.parse(text);
  } catch {
    // not JSON: keep the raw text
  }
  if (message !== text && nestedDeeperThan(message as Json, text, MAX_MESSAGE_DEPTH)) {
    rawJson = text.trim();
    message = null;
  }
  let line = JSON.stringify({ file: ref.file, line: ref.line, messageId: ref.messageId, stage, reason, message });
  // The valid JSON text goes in place of the null written last.
  if (rawJson !== null) line = `${line.slice(0, -'null}'.length)}${rawJson}}`;
  return `${redact(line, secrets)}\n`;
}
