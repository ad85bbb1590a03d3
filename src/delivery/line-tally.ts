import type { Rejection } from './batcher.js';

/**
 * Settles lines once all their records are settled: a line is delivered only if every record was
 * accepted; otherwise its first rejection by Mixpanel names it (before a "not delivered" one).
 * Counts per line index in typed arrays, for the lines of one block.
 */
export class LineTally {
  private readonly unsettled: Int32Array;
  private readonly lineOfRecord: Int32Array;
  /** 1 for a record already settled: a second outcome for it (a defect) must not settle its line early. */
  private readonly recordDone: Uint8Array;
  private rejections: Map<number, Rejection> | null = null;

  /** `firstRecord(i)`: the index of line i's first record; line i's records end where line i + 1's start. */
  constructor(
    lineCount: number,
    firstRecord: (line: number) => number,
    private readonly onSettled: (line: number, rejection: Rejection | null) => void,
  ) {
    this.unsettled = new Int32Array(lineCount);
    this.lineOfRecord = new Int32Array(firstRecord(lineCount));
    this.recordDone = new Uint8Array(firstRecord(lineCount));
    for (let line = 0; line < lineCount; line += 1) {
      const end = firstRecord(line + 1);
      this.unsettled[line] = end - firstRecord(line);
      this.lineOfRecord.fill(line, firstRecord(line), end);
    }
  }

  /** The index of the line record `record` belongs to. */
  lineOf(record: number): number {
    return this.lineOfRecord[record]!;
  }

  /** A record is settled: accepted (null) or rejected. Its first outcome stands. */
  done(record: number, rejection: Rejection | null): void {
    if (this.recordDone[record] === 1) return;
    this.recordDone[record] = 1;
    const line = this.lineOfRecord[record]!;
    if (rejection !== null) {
      this.rejections ??= new Map();
      const first = this.rejections.get(line);
      if (first === undefined || (first.unsent && !rejection.unsent)) this.rejections.set(line, rejection);
    }
    const left = this.unsettled[line]! - 1;
    this.unsettled[line] = left;
    if (left === 0) this.onSettled(line, this.rejections?.get(line) ?? null);
  }
}
