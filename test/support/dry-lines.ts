import { writeFileSync } from 'node:fs';

export interface DryLine {
  endpoint: '/import' | '/engage' | '/groups';
  file: string;
  line: number;
  messageId: string | null;
  record: Record<string, unknown>;
}

/** A /import dry-run line for a message. */
export function trackLine(line: number, messageId: string | null, event: string, properties: Record<string, unknown> = {}, file = 'events.ndjson'): DryLine {
  return { endpoint: '/import', file, line, messageId, record: { event, properties: { distinct_id: `user-${line}`, ...properties } } };
}

export function engageLine(line: number, messageId: string | null, operation: string, values: Record<string, unknown>, file = 'events.ndjson'): DryLine {
  return { endpoint: '/engage', file, line, messageId, record: { $token: '<token>', $distinct_id: `user-${line}`, [operation]: values } };
}

export function writeDry(path: string, lines: readonly (DryLine | string)[]): string {
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + (lines.length > 0 ? '\n' : ''));
  return path;
}

/** Strip ANSI colour codes. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[\d+m/g, '');
}
