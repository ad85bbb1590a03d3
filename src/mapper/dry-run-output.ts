import type { Endpoint, RoutedRecord } from '../mixpanel/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import type { LineRef } from '../outcomes.js';
import { Utf8Buffer } from '../lib/utf8-buffer.js';

/**
 * The dry-run output of one block and what accounting needs of its lines, in a compact form
 * that crosses threads cheaply (no object per line).
 */
export interface WrittenBlock {
  readonly bytes: Uint8Array;
  /** The numbers of the lines written, ascending, and their types (indexes into SEGMENT_TYPES). */
  readonly lines: Int32Array;
  readonly types: Uint8Array;
  /** Records written per endpoint; warnings with their counts. */
  readonly records: ReadonlyArray<readonly [Endpoint, number]>;
  readonly warnings: ReadonlyArray<readonly [string, number]>;
}

/**
 * Dry-run output (SPEC §8), one line per record: `{"endpoint","file","line","messageId","record"}`.
 * Written straight into UTF-8 bytes: encoding each record's JSON once into a buffer costs a
 * third of building one large string and encoding that (measured on the bench archive).
 */
export class DryRunOutput {
  private readonly output: Utf8Buffer;
  private readonly lines: number[] = [];
  private readonly types: number[] = [];
  private readonly records = new Map<Endpoint, number>();
  private readonly warnings = new Map<string, number>();
  /** The file of the lines added last, and its JSON (a block's lines share one file). */
  private file: string | null = null;
  private fileJson = '';

  /** `spare`: the memory of an earlier block's output, handed back once written (used when big enough). */
  constructor(expectedBytes: number, spare?: Uint8Array) {
    this.output = new Utf8Buffer(Math.max(expectedBytes, 64 * 1024), spare);
  }

  /** Append a line's records. */
  add(ref: LineRef, type: SegmentType, records: readonly RoutedRecord[], warnings: readonly string[]): void {
    this.lines.push(ref.line);
    this.types.push(SEGMENT_TYPES.indexOf(type));
    for (const warning of warnings) this.warnings.set(warning, (this.warnings.get(warning) ?? 0) + 1);
    if (ref.file !== this.file) {
      this.file = ref.file;
      this.fileJson = JSON.stringify(ref.file);
    }
    const place = `,"file":${this.fileJson},"line":${ref.line},"messageId":${JSON.stringify(ref.messageId)},"record":`;
    for (const record of records) {
      // One write per record: each write is a call into the encoder.
      this.output.write(`{"endpoint":"${record.endpoint}"${place}${record.json}}\n`);
      this.records.set(record.endpoint, (this.records.get(record.endpoint) ?? 0) + 1);
    }
  }

  /** Everything written; the ArrayBuffers belong to it alone (they can be transferred). */
  take(): WrittenBlock {
    return {
      bytes: this.output.written(),
      lines: Int32Array.from(this.lines),
      types: Uint8Array.from(this.types),
      records: [...this.records],
      warnings: [...this.warnings],
    };
  }
}
