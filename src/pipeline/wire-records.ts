import { Buffer } from 'node:buffer';
import { ENDPOINTS, type Endpoint, type RoutedRecord } from '../mixpanel/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import { asBuffer } from './as-buffer.js';
import type { LineRef } from './outcomes.js';
import type { ProcessedLine } from './process-line.js';
import { Utf8Buffer } from './utf8-buffer.js';

/**
 * Strings (or nulls) as UTF-8 bytes back to back: string i ends at `ends[i]`, or, for a null,
 * `ends[i]` is `-(end + 1)`. Read back one at a time (`packedString`), so the sending thread holds
 * a buffer instead of a string object per line or record.
 */
export interface PackedStrings {
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
}

class StringPacker {
  private readonly text = new Utf8Buffer(4 * 1024);
  private readonly ends: number[] = [];

  add(value: string | null): void {
    if (value === null) {
      this.ends.push(-this.text.length - 1);
    } else {
      this.text.write(value);
      this.ends.push(this.text.length);
    }
  }

  take(): PackedStrings {
    return { bytes: this.text.written(), ends: Int32Array.from(this.ends) };
  }
}

const endOf = (packed: PackedStrings, i: number): number => {
  const end = packed.ends[i]!;
  return end >= 0 ? end : -end - 1;
};

/** String `i` of packed strings, or null. */
export function packedString(packed: PackedStrings, i: number): string | null {
  if (packed.ends[i]! < 0) return null;
  const start = i === 0 ? 0 : endOf(packed, i - 1);
  return asBuffer(packed.bytes).toString('utf8', start, packed.ends[i]!);
}

/**
 * A block's lines with records to send, packed where they were mapped: the records' JSON as UTF-8
 * bytes back to back, and the facts of each line and record in typed arrays. It crosses threads
 * as a few transferred buffers instead of an object per line and per record.
 */
export interface SentBlock {
  readonly bytes: Uint8Array;
  /** Per line: its number (ascending), type (index into SEGMENT_TYPES), messageId, text (with keepText). */
  readonly lines: Int32Array;
  readonly types: Uint8Array;
  readonly messageIds: PackedStrings;
  readonly texts: string[] | null;
  /** Per line, plus one: the index of its first record. */
  readonly firstRecord: Int32Array;
  /** Per record: where its JSON ends in `bytes` (it starts where the previous one ends), endpoint, idempotency, distinct id. */
  readonly ends: Int32Array;
  readonly endpoints: Uint8Array;
  readonly idempotent: Uint8Array;
  readonly distinctIds: PackedStrings;
  /** [record index, new id] of the `$create_alias` records. */
  readonly aliases: Array<readonly [number, string]>;
  /** [line index, warnings] of the lines with warnings. */
  readonly warnings: Array<readonly [number, readonly string[]]>;
}

/** Packs the lines of one block into a SentBlock (in the mapping thread). */
export class SentBlockBuilder {
  private readonly json: Utf8Buffer;
  private readonly lines: number[] = [];
  private readonly types: number[] = [];
  private readonly messageIds = new StringPacker();
  private readonly texts: string[] | null;
  private readonly firstRecord: number[] = [0];
  private readonly ends: number[] = [];
  private readonly endpoints: number[] = [];
  private readonly idempotent: number[] = [];
  private readonly distinctIds = new StringPacker();
  private readonly aliases: Array<readonly [number, string]> = [];
  private readonly warnings: Array<readonly [number, readonly string[]]> = [];

  /**
   * `expectedBytes`: a first size for the JSON; it grows when the records need more. `spare`: the
   * memory of an earlier block whose records have all been copied into request bodies (used when
   * big enough).
   */
  constructor(expectedBytes: number, keepText: boolean, spare?: Uint8Array) {
    this.json = new Utf8Buffer(Math.max(expectedBytes, 16 * 1024), spare);
    this.texts = keepText ? [] : null;
  }

  add(line: ProcessedLine & { kind: 'records' }): void {
    if (line.warnings.length > 0) this.warnings.push([this.lines.length, line.warnings]);
    this.lines.push(line.ref.line);
    this.types.push(SEGMENT_TYPES.indexOf(line.type));
    this.messageIds.add(line.ref.messageId);
    this.texts?.push(line.text);
    for (const record of line.records) this.addRecord(record);
    this.firstRecord.push(this.ends.length);
  }

  /** The packed block, and the memory to transfer with it. */
  take(): { sent: SentBlock; transfer: ArrayBuffer[] } {
    const sent: SentBlock = {
      bytes: this.json.written(),
      lines: Int32Array.from(this.lines),
      types: Uint8Array.from(this.types),
      messageIds: this.messageIds.take(),
      texts: this.texts,
      firstRecord: Int32Array.from(this.firstRecord),
      ends: Int32Array.from(this.ends),
      endpoints: Uint8Array.from(this.endpoints),
      idempotent: Uint8Array.from(this.idempotent),
      distinctIds: this.distinctIds.take(),
      aliases: this.aliases,
      warnings: this.warnings,
    };
    const { messageIds, distinctIds } = sent;
    const arrays = [sent.bytes, sent.lines, sent.types, sent.firstRecord, sent.ends, sent.endpoints, sent.idempotent, messageIds.bytes, messageIds.ends, distinctIds.bytes, distinctIds.ends];
    const transfer = arrays.map((array) => array.buffer as ArrayBuffer);
    return { sent, transfer };
  }

  private addRecord({ endpoint, json, distinctId, aliasFor, idempotent }: RoutedRecord): void {
    this.json.write(json);
    if (aliasFor !== null) this.aliases.push([this.ends.length, aliasFor]);
    this.ends.push(this.json.length);
    this.endpoints.push(ENDPOINTS.indexOf(endpoint));
    this.idempotent.push(idempotent ? 1 : 0);
    this.distinctIds.add(distinctId);
  }
}

/**
 * A SentBlock as the sending thread holds it: lines and records read by index from the packed
 * arrays, with no object per line or per record (those would outlive young-generation
 * collections while their batches are in flight, and fill the old generation).
 * `reuse`, when given, gets the block's bytes back once every record has been released.
 */
export class OutgoingBlock {
  private readonly bytes: Buffer;
  private readonly messageIds: PackedStrings;
  private readonly distinctIds: PackedStrings;
  private readonly aliases: Map<number, string>;
  private readonly warningsOf: Map<number, readonly string[]>;
  /** Records not yet taken into a request body. */
  private unreleased: number;

  constructor(
    readonly file: string,
    private readonly sent: SentBlock,
    private readonly reuse?: (bytes: Uint8Array) => void,
  ) {
    this.bytes = asBuffer(sent.bytes);
    // Wrapped once here, not on every read.
    this.messageIds = { bytes: asBuffer(sent.messageIds.bytes), ends: sent.messageIds.ends };
    this.distinctIds = { bytes: asBuffer(sent.distinctIds.bytes), ends: sent.distinctIds.ends };
    this.aliases = new Map(sent.aliases);
    this.warningsOf = new Map(sent.warnings);
    this.unreleased = sent.ends.length;
  }

  get lineCount(): number {
    return this.sent.lines.length;
  }

  /** The 1-based line number of line `i` in its file. */
  lineNumber(i: number): number {
    return this.sent.lines[i]!;
  }

  type(i: number): SegmentType {
    return SEGMENT_TYPES[this.sent.types[i]!]!;
  }

  ref(i: number): LineRef {
    return { file: this.file, line: this.sent.lines[i]!, messageId: packedString(this.messageIds, i) };
  }

  /** The line's text when it was kept (--rejects), else ''. */
  text(i: number): string {
    return this.sent.texts?.[i] ?? '';
  }

  warnings(i: number): readonly string[] {
    return this.warningsOf.get(i) ?? NO_WARNINGS;
  }

  /** Line `i`'s records are the indexes [firstRecord(i), firstRecord(i + 1)). */
  firstRecord(i: number): number {
    return this.sent.firstRecord[i]!;
  }

  endpoint(record: number): Endpoint {
    return ENDPOINTS[this.sent.endpoints[record]!]!;
  }

  byteLength(record: number): number {
    return this.sent.ends[record]! - this.start(record);
  }

  /** Copy the record's JSON into `target` at `at`; returns the bytes copied. */
  copyRecord(record: number, target: Uint8Array, at: number): number {
    return this.bytes.copy(target, at, this.start(record), this.sent.ends[record]!);
  }

  distinctId(record: number): string | null {
    return packedString(this.distinctIds, record);
  }

  /** For a `$create_alias` record: the new id it links. */
  aliasFor(record: number): string | null {
    return this.aliases.get(record) ?? null;
  }

  idempotent(record: number): boolean {
    return this.sent.idempotent[record] === 1;
  }

  /**
   * Copy the record's JSON into a request body, once: its bytes are not read again. Once every
   * record has been taken, the block's bytes are reused.
   */
  takeRecord(record: number, target: Uint8Array, at: number): void {
    this.copyRecord(record, target, at);
    this.unreleased -= 1;
    if (this.unreleased === 0) this.reuse?.(this.sent.bytes);
  }

  private start(record: number): number {
    return record === 0 ? 0 : this.sent.ends[record - 1]!;
  }
}

const NO_WARNINGS: readonly string[] = [];
