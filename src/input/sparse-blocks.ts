import { Buffer } from 'node:buffer';
import type { Block } from './types.js';

const NEWLINE = 0x0a;

/** A sparse block is handed on once it holds this many bytes. */
const SPARSE_BLOCK_BYTES = 256 * 1024;

/** Offsets of bytes in a block of whole lines whose lines are wanted, ascending. */
export type WantedOffsets = (bytes: Buffer) => readonly number[];

/**
 * The reader's sparse mode (the alias pass, README "Alias ordering"): only the lines holding a
 * wanted offset keep their bytes; every other line is passed on empty (its newline alone), so the
 * numbering holds and one block covers the lines of many. The main thread picks the lines and the
 * mapper gets a few small blocks instead of the whole input: a 1M-message alias pass moves 31 MB
 * to the workers instead of ~1.1 GB. Whoever maps sparse blocks must not count their blank lines.
 */
export class SparseBlocks {
  private bytes = Buffer.allocUnsafeSlow(SPARSE_BLOCK_BYTES);
  private length = 0;
  /** The number of the first line in `bytes`, and how many it holds (one newline each). */
  private firstLine = 1;
  private lines = 0;
  /** What the reader cuts the input into before `add` copies the wanted lines out: one buffer for every cut. */
  private cut: Buffer | null = null;

  constructor(
    private readonly file: string,
    private readonly wanted: WantedOffsets,
    private readonly skip?: (file: string, line: number) => boolean,
  ) {}

  /**
   * Whole lines of the input, the first numbered `firstLine` (the last may lack its newline):
   * the wanted ones copied, the others emptied. Returns how many lines they were.
   */
  add(block: Buffer, firstLine: number): number {
    const offsets = this.wanted(block);
    let next = 0;
    let line = firstLine;
    for (let start = 0; start < block.length; line += 1) {
      let end = block.indexOf(NEWLINE, start);
      if (end === -1) end = block.length;
      while (next < offsets.length && offsets[next]! < start) next += 1;
      const keep = next < offsets.length && offsets[next]! < end && this.skip?.(this.file, line) !== true;
      if (keep) this.append(block, start, end);
      else this.passLine();
      start = end + 1;
    }
    return line - firstLine;
  }

  /** Memory for the next `bytes` bytes the reader cuts (valid until the next call). */
  cutBuffer(bytes: number): Buffer {
    if (this.cut === null || this.cut.length < bytes) this.cut = Buffer.allocUnsafeSlow(Math.max(bytes, 2 * 1024 * 1024));
    return this.cut.subarray(0, bytes);
  }

  /** The next line, passed on empty (not wanted, or rejected by the reader: over-long, a truncated last line). */
  passLine(): void {
    this.room(1);
    this.bytes[this.length] = NEWLINE;
    this.length += 1;
    this.lines += 1;
  }

  /** Whether enough is held to hand on a block. */
  get full(): boolean {
    return this.length >= SPARSE_BLOCK_BYTES;
  }

  /** What is held, as a block of its own (null when nothing is). */
  take(): Block | null {
    if (this.length === 0) return null;
    const block: Block = { kind: 'block', file: this.file, firstLine: this.firstLine, skip: [], bytes: this.bytes.subarray(0, this.length) };
    this.firstLine += this.lines;
    this.lines = 0;
    this.bytes = Buffer.allocUnsafeSlow(SPARSE_BLOCK_BYTES);
    this.length = 0;
    return block;
  }

  private append(block: Buffer, from: number, to: number): void {
    this.room(to - from + 1);
    block.copy(this.bytes, this.length, from, to);
    this.length += to - from;
    this.bytes[this.length] = NEWLINE;
    this.length += 1;
    this.lines += 1;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.length + bytes, 2 * this.bytes.length));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}
