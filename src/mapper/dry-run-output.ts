import { ENDPOINTS, type RoutedRecord } from '../mixpanel/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import type { LineRef } from '../outcomes.js';
import { Utf8Buffer } from '../lib/utf8-buffer.js';
import { LineFactsBuilder } from './line-facts.js';

/**
 * The dry-run output of one block and what accounting needs of its lines, in a compact form
 * that crosses threads cheaply (no object per line). The main thread may leave lines out (the
 * dedupe window), so each line's output bytes and records can be told apart.
 */
export interface WrittenBlock {
  readonly bytes: Uint8Array;
  /** The numbers of the lines written, ascending, and their types (indexes into SEGMENT_TYPES). */
  readonly lines: Int32Array;
  readonly types: Uint8Array;
  /** Per line: where its output ends in `bytes` (it starts where the previous line's ends). */
  readonly outputEnds: Int32Array;
  /** Per line: LINE_FLAGS bits; and its dedupe key, two 32-bit halves (hi, lo) at 2i, 2i + 1. */
  readonly flags: Uint8Array;
  readonly keys: Uint32Array;
  /** Per line, plus one: its first record; per record: its endpoint (index into ENDPOINTS). */
  readonly firstRecord: Int32Array;
  readonly endpoints: Uint8Array;
  /** [line index, warnings] of the lines with warnings. */
  readonly warnings: ReadonlyArray<readonly [number, readonly string[]]>;
}

/**
 * Dry-run output (README "Dry run and diff"), one line per record: `{"endpoint","file","line","messageId","record"}`.
 * Written straight into UTF-8 bytes: encoding each record's JSON once into a buffer costs a
 * third of building one large string and encoding that (measured on the bench archive).
 */
export class DryRunOutput {
  private readonly output: Utf8Buffer;
  private readonly lines: number[] = [];
  private readonly types: number[] = [];
  private readonly outputEnds: number[] = [];
  private readonly facts = new LineFactsBuilder();
  private readonly firstRecord: number[] = [0];
  private readonly endpoints: number[] = [];
  private readonly warnings: Array<readonly [number, readonly string[]]> = [];
  /** The file of the lines added last, and its JSON (a block's lines share one file). */
  private file: string | null = null;
  private fileJson = '';

  /** `spare`: the memory of an earlier block's output, handed back once written (used when big enough). */
  constructor(expectedBytes: number, spare?: Uint8Array) {
    this.output = new Utf8Buffer(Math.max(expectedBytes, 64 * 1024), spare);
  }

  /** Append a line's records. */
  add(ref: LineRef, type: SegmentType, records: readonly RoutedRecord[], warnings: readonly string[], deviceMode: boolean): void {
    if (warnings.length > 0) this.warnings.push([this.lines.length, warnings]);
    this.lines.push(ref.line);
    this.types.push(SEGMENT_TYPES.indexOf(type));
    this.facts.add(type, ref.messageId, deviceMode);
    if (ref.file !== this.file) {
      this.file = ref.file;
      this.fileJson = JSON.stringify(ref.file);
    }
    const place = `,"file":${this.fileJson},"line":${ref.line},"messageId":${JSON.stringify(ref.messageId)},"record":`;
    for (const record of records) {
      // One write per record: each write is a call into the encoder.
      this.output.write(`{"endpoint":"${record.endpoint}"${place}${record.json}}\n`);
      this.endpoints.push(ENDPOINTS.indexOf(record.endpoint));
    }
    this.outputEnds.push(this.output.length);
    this.firstRecord.push(this.endpoints.length);
  }

  /** Everything written; the ArrayBuffers belong to it alone (they can be transferred). */
  take(): { written: WrittenBlock; transfer: ArrayBuffer[] } {
    const { flags, keys } = this.facts.take();
    const written: WrittenBlock = {
      bytes: this.output.written(),
      lines: Int32Array.from(this.lines),
      types: Uint8Array.from(this.types),
      outputEnds: Int32Array.from(this.outputEnds),
      flags,
      keys,
      firstRecord: Int32Array.from(this.firstRecord),
      endpoints: Uint8Array.from(this.endpoints),
      warnings: this.warnings,
    };
    const arrays = [written.bytes, written.lines, written.types, written.outputEnds, flags, keys, written.firstRecord, written.endpoints];
    return { written, transfer: arrays.map((array) => array.buffer as ArrayBuffer) };
  }
}
