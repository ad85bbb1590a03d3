import { Buffer } from 'node:buffer';

/**
 * Bytes (a block, packed strings, output memory) as a Buffer over the same memory: no copy, and
 * the same object when it already is one. Blocks cross threads as plain Uint8Arrays.
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
