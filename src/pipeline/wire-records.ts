import { Buffer } from 'node:buffer';
import type { RoutedRecord, WireRecord } from '../mixpanel/types.js';

/**
 * Encodes the records of one block to UTF-8 where they are mapped, into one buffer, so they
 * cross to the sending thread as transferred bytes (not copied strings), and a request body is
 * only a copy of the bytes.
 */
export class WireEncoder {
  private buffer: Buffer;
  private used = 0;
  private readonly pending: Array<{ target: { bytes: Uint8Array }; start: number; end: number }> = [];

  /** `expectedBytes`: a first size; the buffer grows when the records need more. */
  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(expectedBytes, 16 * 1024));
  }

  /** The records of a line as wire records; their bytes are filled in by `finish`. */
  add(records: readonly RoutedRecord[]): WireRecord[] {
    return records.map(({ endpoint, json, distinctId, aliasFor, idempotent }) => {
      const record = { endpoint, bytes: EMPTY, distinctId, aliasFor, idempotent };
      const start = this.used;
      this.reserve(json.length * 3);
      this.used += this.buffer.write(json, start, 'utf8');
      this.pending.push({ target: record, start, end: this.used });
      return record;
    });
  }

  /** Point every record at its bytes (the buffer no longer moves) and give the memory to transfer. */
  finish(): ArrayBuffer[] {
    for (const { target, start, end } of this.pending) target.bytes = this.buffer.subarray(start, end);
    return this.used > 0 ? [this.buffer.buffer as ArrayBuffer] : [];
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}

const EMPTY = new Uint8Array(0);
