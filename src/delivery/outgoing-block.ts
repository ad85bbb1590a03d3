import { Buffer } from 'node:buffer';
import { ENDPOINTS, type Endpoint } from '../mixpanel/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import { asBuffer } from '../lib/as-buffer.js';
import type { LineRef } from '../outcomes.js';
import type { PackedStrings, SentBlock } from '../mapper/protocol.js';
import { LINE_FLAGS } from '../lib/line-flags.js';

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
  /** Lines not yet settled (their texts are read as they settle). */
  private unsettled: number;
  /** 1 for a line settled already: settling it again must not give the texts' memory back early. */
  private readonly settledLines: Uint8Array;

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
    this.unsettled = sent.lines.length;
    this.settledLines = new Uint8Array(sent.lines.length);
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

  /**
   * Line `i` is settled; returns its text when `withText` and it was kept (--rejects), else ''.
   * Once every line has settled, the texts' memory goes back for reuse (so kept texts are bounded
   * by the blocks in flight, whatever the collector does); a line settled again returns ''.
   */
  settle(i: number, withText: boolean): string {
    const { texts } = this.sent;
    if (texts === null || this.settledLines[i] === 1) return '';
    this.settledLines[i] = 1;
    const text = withText ? asBuffer(texts.bytes).toString('utf8', texts.starts[i]!, texts.ends[i]!) : '';
    this.unsettled -= 1;
    if (this.unsettled === 0) this.reuse?.(texts.bytes);
    return text;
  }

  /** Whether device mode sent line `i` already (its `_metadata.bundled` lists Mixpanel). */
  deviceMode(i: number): boolean {
    return (this.sent.flags[i]! & LINE_FLAGS.deviceMode) !== 0;
  }

  /** Whether line `i` has a dedupe key (a messageId). */
  keyed(i: number): boolean {
    return (this.sent.flags[i]! & LINE_FLAGS.keyed) !== 0;
  }

  /** Line `i` is not sent (a duplicate): its records count as taken, so the block's bytes can still be reused. */
  drop(i: number): void {
    this.release(this.firstRecord(i + 1) - this.firstRecord(i));
  }

  /** One record is not sent (an earlier run had it acknowledged): it counts as taken. */
  skipRecord(): void {
    this.release(1);
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
    this.release(1);
  }

  /** `count` more records are done with; once all are, the block's bytes go back for reuse. */
  private release(count: number): void {
    this.unreleased -= count;
    if (this.unreleased === 0) this.reuse?.(this.sent.bytes);
  }

  private start(record: number): number {
    return record === 0 ? 0 : this.sent.ends[record - 1]!;
  }
}

const NO_WARNINGS: readonly string[] = [];
