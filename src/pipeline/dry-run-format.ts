import type { RoutedRecord } from '../mixpanel/types.js';
import type { LineRef } from './outcomes.js';

/** A line's records as dry-run output (SPEC §8): `{"endpoint","file","line","messageId","record"}` each. */
export function formatDryRunRecords(ref: LineRef, records: readonly RoutedRecord[]): string {
  const place = `,"file":${JSON.stringify(ref.file)},"line":${ref.line},"messageId":${JSON.stringify(ref.messageId)},"record":`;
  let text = '';
  for (const record of records) text += `{"endpoint":"${record.endpoint}"${place}${record.json}}\n`;
  return text;
}
