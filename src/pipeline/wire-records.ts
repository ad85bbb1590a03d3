import type { Endpoint, RoutedRecord, WireRecord } from '../mixpanel/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import type { ProcessedLine } from './process-line.js';
import { Utf8Buffer } from './utf8-buffer.js';

const ENDPOINTS: readonly Endpoint[] = ['/import', '/engage', '/groups'];

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
  readonly messageIds: Array<string | null>;
  readonly texts: string[] | null;
  /** Per line, plus one: the index of its first record. */
  readonly firstRecord: Int32Array;
  /** Per record: where its JSON ends in `bytes` (it starts where the previous one ends), endpoint, idempotency, distinct id. */
  readonly ends: Int32Array;
  readonly endpoints: Uint8Array;
  readonly idempotent: Uint8Array;
  readonly distinctIds: Array<string | null>;
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
  private readonly messageIds: Array<string | null> = [];
  private readonly texts: string[] | null;
  private readonly firstRecord: number[] = [0];
  private readonly ends: number[] = [];
  private readonly endpoints: number[] = [];
  private readonly idempotent: number[] = [];
  private readonly distinctIds: Array<string | null> = [];
  private readonly aliases: Array<readonly [number, string]> = [];
  private readonly warnings: Array<readonly [number, readonly string[]]> = [];

  /** `expectedBytes`: a first size for the JSON; it grows when the records need more. */
  constructor(expectedBytes: number, keepText: boolean) {
    this.json = new Utf8Buffer(Math.max(expectedBytes, 16 * 1024));
    this.texts = keepText ? [] : null;
  }

  add(line: ProcessedLine & { kind: 'records' }): void {
    if (line.warnings.length > 0) this.warnings.push([this.lines.length, line.warnings]);
    this.lines.push(line.ref.line);
    this.types.push(SEGMENT_TYPES.indexOf(line.type));
    this.messageIds.push(line.ref.messageId);
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
      messageIds: this.messageIds,
      texts: this.texts,
      firstRecord: Int32Array.from(this.firstRecord),
      ends: Int32Array.from(this.ends),
      endpoints: Uint8Array.from(this.endpoints),
      idempotent: Uint8Array.from(this.idempotent),
      distinctIds: this.distinctIds,
      aliases: this.aliases,
      warnings: this.warnings,
    };
    const transfer = [sent.bytes, sent.lines, sent.types, sent.firstRecord, sent.ends, sent.endpoints, sent.idempotent].map((array) => array.buffer as ArrayBuffer);
    return { sent, transfer };
  }

  private addRecord({ endpoint, json, distinctId, aliasFor, idempotent }: RoutedRecord): void {
    this.json.write(json);
    if (aliasFor !== null) this.aliases.push([this.ends.length, aliasFor]);
    this.ends.push(this.json.length);
    this.endpoints.push(ENDPOINTS.indexOf(endpoint));
    this.idempotent.push(idempotent ? 1 : 0);
    this.distinctIds.push(distinctId);
  }
}

/** The lines of a SentBlock as the sender takes them, in input order (in the sending thread). */
export function unpackSentBlock(file: string, sent: SentBlock): Array<ProcessedLine<WireRecord> & { kind: 'records' }> {
  const aliases = new Map(sent.aliases);
  const warnings = new Map(sent.warnings);
  const out: Array<ProcessedLine<WireRecord> & { kind: 'records' }> = [];
  for (let i = 0; i < sent.lines.length; i += 1) {
    const records: WireRecord[] = [];
    for (let r = sent.firstRecord[i]!; r < sent.firstRecord[i + 1]!; r += 1) {
      records.push({
        endpoint: ENDPOINTS[sent.endpoints[r]!]!,
        bytes: sent.bytes.subarray(r === 0 ? 0 : sent.ends[r - 1]!, sent.ends[r]!),
        distinctId: sent.distinctIds[r]!,
        aliasFor: aliases.get(r) ?? null,
        idempotent: sent.idempotent[r] === 1,
      });
    }
    const type: SegmentType = SEGMENT_TYPES[sent.types[i]!]!;
    out.push({ kind: 'records', ref: { file, line: sent.lines[i]!, messageId: sent.messageIds[i]! }, type, records, warnings: warnings.get(i) ?? NO_WARNINGS, text: sent.texts?.[i] ?? '' });
  }
  return out;
}

const NO_WARNINGS: readonly string[] = [];
