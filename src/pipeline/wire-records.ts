import { Buffer } from 'node:buffer';
import type { Endpoint, RoutedRecord, WireRecord } from '../mixpanel/types.js';

const ENDPOINTS: readonly Endpoint[] = ['/import', '/engage', '/groups'];

/**
 * Encodes the records of one block to UTF-8 where they are mapped, one buffer per endpoint, so
 * they cross to the sending thread as transferred bytes (not copied strings), and a request body
 * is only a copy of the bytes.
 */
export class WireEncoder {
  private readonly buffers: Buffer[];
  private readonly used = [0, 0, 0];
  private readonly pending: Array<{ target: { bytes: Uint8Array }; endpoint: number; start: number; end: number }> = [];

  constructor(expectedBytes: number) {
    this.buffers = ENDPOINTS.map((_, i) => Buffer.allocUnsafeSlow(i === 0 ? expectedBytes : Math.ceil(expectedBytes / 2)));
  }

  /** The records of a line as wire records; their bytes are filled in by `finish`. */
  add(records: readonly RoutedRecord[]): WireRecord[] {
    return records.map(({ endpoint, json, distinctId, aliasFor, idempotent }) => {
      const record = { endpoint, bytes: EMPTY, distinctId, aliasFor, idempotent };
      const index = ENDPOINTS.indexOf(endpoint);
      const start = this.used[index]!;
      this.reserve(index, json.length * 3);
      this.used[index] = start + this.buffers[index]!.write(json, start, 'utf8');
      this.pending.push({ target: record, endpoint: index, start, end: this.used[index]! });
      return record;
    });
  }

  /** Point every record at its bytes (the buffers no longer move) and list the memory to transfer. */
  finish(): ArrayBuffer[] {
    for (const { target, endpoint, start, end } of this.pending) target.bytes = this.buffers[endpoint]!.subarray(start, end);
    return this.buffers.filter((_, i) => this.used[i]! > 0).map((buffer) => buffer.buffer as ArrayBuffer);
  }

  private reserve(index: number, bytes: number): void {
    const buffer = this.buffers[index]!;
    const used = this.used[index]!;
    if (used + bytes <= buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, used + bytes));
    buffer.copy(grown, 0, 0, used);
    this.buffers[index] = grown;
  }
}

const EMPTY = new Uint8Array(0);
