import { Buffer } from 'node:buffer';
import { ENDPOINTS, type RoutedRecord } from '../mixpanel/types.js';
import { SEGMENT_TYPES } from '../segment/types.js';
import { Utf8Buffer } from '../lib/utf8-buffer.js';
import type { LineTexts, PackedStrings, ProcessedLine, SentBlock } from './protocol.js';
import { LineFactsBuilder } from './line-facts.js';

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

/** Packs the lines of one block into a SentBlock (in the mapping thread). */
export class SentBlockBuilder {
  private readonly json: Utf8Buffer;
  private readonly lines: number[] = [];
  private readonly types: number[] = [];
  private readonly facts = new LineFactsBuilder();
  private readonly messageIds = new StringPacker();
  /** With keepText: where each line's text starts and ends in the block's bytes. */
  private readonly textRanges: { readonly starts: number[]; readonly ends: number[] } | null;
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
    this.textRanges = keepText ? { starts: [], ends: [] } : null;
  }

  /** `from`, `to`: where the line's text is in the block's bytes (kept with keepText). */
  add(line: ProcessedLine & { kind: 'records' }, from = 0, to = 0): void {
    if (line.warnings.length > 0) this.warnings.push([this.lines.length, line.warnings]);
    this.lines.push(line.ref.line);
    this.types.push(SEGMENT_TYPES.indexOf(line.type));
    this.messageIds.add(line.ref.messageId);
    this.facts.add(line.type, line.ref.messageId, line.deviceMode);
    this.textRanges?.starts.push(from);
    this.textRanges?.ends.push(to);
    for (const record of line.records) this.addRecord(record);
    this.firstRecord.push(this.ends.length);
  }

  /** The packed block, and the memory to transfer with it; `input`: the block's bytes (the texts, with keepText). */
  take(input?: Uint8Array): { sent: SentBlock; transfer: ArrayBuffer[] } {
    const { flags, keys } = this.facts.take();
    const sent: SentBlock = {
      bytes: this.json.written(),
      lines: Int32Array.from(this.lines),
      types: Uint8Array.from(this.types),
      flags,
      keys,
      messageIds: this.messageIds.take(),
      texts: this.texts(input),
      firstRecord: Int32Array.from(this.firstRecord),
      ends: Int32Array.from(this.ends),
      endpoints: Uint8Array.from(this.endpoints),
      idempotent: Uint8Array.from(this.idempotent),
      distinctIds: this.distinctIds.take(),
      aliases: this.aliases,
      warnings: this.warnings,
    };
    const { messageIds, distinctIds, texts } = sent;
    const arrays = [sent.bytes, sent.lines, sent.types, flags, keys, sent.firstRecord, sent.ends, sent.endpoints, sent.idempotent, messageIds.bytes, messageIds.ends, distinctIds.bytes, distinctIds.ends];
    if (texts !== null) arrays.push(texts.bytes, texts.starts, texts.ends);
    const transfer = arrays.map((array) => array.buffer as ArrayBuffer);
    return { sent, transfer };
  }

  /**
   * The block's bytes, or, when the kept texts are under half of them (the alias pass keeps a
   * few lines of each block), a copy of only those: a block's input is not held for a few lines.
   */
  private texts(input: Uint8Array | undefined): LineTexts | null {
    const ranges = this.textRanges;
    if (ranges === null) return null;
    if (input === undefined) throw new Error('the texts of the lines are kept: take() needs the block\'s bytes');
    const starts = Int32Array.from(ranges.starts);
    const ends = Int32Array.from(ranges.ends);
    let kept = 0;
    for (let i = 0; i < starts.length; i += 1) kept += ends[i]! - starts[i]!;
    if (2 * kept >= input.length) return { bytes: input, starts, ends };
    const bytes = Buffer.allocUnsafeSlow(kept);
    for (let i = 0, at = 0; i < starts.length; i += 1) {
      bytes.set(input.subarray(starts[i]!, ends[i]!), at);
      ends[i] = at + ends[i]! - starts[i]!;
      starts[i] = at;
      at = ends[i]!;
    }
    return { bytes, starts, ends };
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
