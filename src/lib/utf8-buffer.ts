import { Buffer } from 'node:buffer';

/**
 * Text appended as UTF-8 into memory of its own (so it can be transferred to another thread),
 * growing when needed. Optionally starts in the memory of an earlier one (`spare`).
 */
export class Utf8Buffer {
  private bytes: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(expectedBytes: number, spare?: Uint8Array) {
    this.bytes = spare !== undefined && spare.buffer.byteLength >= expectedBytes ? Buffer.from(spare.buffer, 0, spare.buffer.byteLength) : Buffer.allocUnsafeSlow(expectedBytes);
  }

  write(text: string): void {
    // A UTF-16 unit is at most 3 UTF-8 bytes.
    if (this.length + text.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + text.length * 3));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  /** The bytes written; their ArrayBuffer holds nothing else. */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
