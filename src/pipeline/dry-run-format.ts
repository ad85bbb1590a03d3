import { Buffer } from 'node:buffer';
import type { RoutedRecord } from '../mixpanel/types.js';
import type { LineRef } from './outcomes.js';

/**
 * Dry-run output (SPEC §8), one line per record: `{"endpoint","file","line","messageId","record"}`.
 * Written straight into UTF-8 bytes: encoding each record's JSON once into a buffer costs a
 * third of building one large string and encoding that (measured on the bench archive).
 */
export class DryRunOutput {
  private bytes: Buffer;
  private length = 0;

  constructor(expectedBytes: number) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(expectedBytes, 64 * 1024));
  }

  /** Append a line's records. */
  add(ref: LineRef, records: readonly RoutedRecord[]): void {
    const place = `,"file":${JSON.stringify(ref.file)},"line":${ref.line},"messageId":${JSON.stringify(ref.messageId)},"record":`;
    for (const record of records) {
      this.write(`{"endpoint":"${record.endpoint}"${place}`);
      this.write(record.json);
      this.write('}\n');
    }
  }

  /** The bytes written so far; their ArrayBuffer belongs to this output alone (it can be transferred). */
  take(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private write(text: string): void {
    // A UTF-16 unit is at most 3 UTF-8 bytes.
    if (this.length + text.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + text.length * 3));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(text, this.length, 'utf8');
  }
}
