import type { MessageFilter } from '../config/filter.js';
import type { MappingOptions } from '../mapping/types.js';
import type { RoutedRecord } from '../mixpanel/types.js';
import type { LineOutcome, LineRef } from '../outcomes.js';
import type { SegmentType } from '../segment/types.js';
import type { WrittenBlock } from './dry-run-output.js';
import type { Block } from '../input/types.js';

// The mapper's protocol: what crosses between the main thread and a mapping worker, and what a
// mapped block holds. Types only (docs/architecture.md, "The thread boundary").

/** One input line after parsing and mapping: records to send, or a final outcome. */
export type ProcessedLine<R = RoutedRecord> =
  | {
      readonly kind: 'records';
      readonly ref: LineRef;
      readonly type: SegmentType;
      readonly records: readonly R[];
      readonly warnings: readonly string[];
      /** Its `_metadata.bundled` lists Mixpanel (device mode sent it already). */
      readonly deviceMode: boolean;
    }
  | { readonly kind: 'settled'; readonly ref: LineRef; readonly type: SegmentType | null; readonly outcome: Exclude<LineOutcome, { kind: 'delivered' }>; readonly text: string };

/** A line that ends where it was read or mapped: skipped or rejected. */
export type SettledLine = ProcessedLine<never> & { kind: 'settled' };

/** Which lines of a block are wanted: all, or only alias calls (the alias pass, README "Alias ordering"). */
export type Selection = 'all' | 'aliases';

export interface MapperSetup {
  readonly mapping: MappingOptions;
  readonly filter: MessageFilter;
  /** Keep the text of lines with records until they settle (--rejects of a delivery). */
  readonly keepText: boolean;
  /** Dry run: format the records as output lines where they are mapped (MappedBlock.written). */
  readonly format: boolean;
}

/**
 * A mapped block: its skipped and rejected lines, its blank lines, and its lines with records:
 * written as dry-run output, or packed to be sent.
 */
export interface MappedBlock {
  readonly lines: SettledLine[];
  readonly blanks: number[];
  readonly written: WrittenBlock | null;
  readonly sent: SentBlock | null;
  /** The memory the block's results live in, to transfer rather than copy between threads. */
  readonly transfer: ArrayBuffer[];
}

/** Maps blocks, in this thread or in worker threads. Results come back in the order asked. */
export interface BlockMapper {
  map(block: Block, selection: Selection): Promise<MappedBlock>;
  /** Output bytes done with (dry-run output written, records copied into request bodies): their memory is used again for later blocks. */
  recycle(bytes: Uint8Array): void;
  /** How many blocks may be in flight before the caller should consume results. */
  readonly depth: number;
  close(): Promise<void>;
}

/** What a worker is sent (a block to map, or output memory to use again) and what it answers. */
export type WorkerRequest =
  | { readonly kind: 'map'; readonly id: number; readonly block: Block; readonly selection: Selection }
  | { readonly kind: 'recycle'; readonly bytes: Uint8Array };

/** A worker's answer to a 'map' request: the mapped block, or the error that mapping it threw. */
export type WorkerReply =
  | { readonly kind: 'mapped'; readonly id: number; readonly mapped: MappedBlock }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };

/**
 * Strings (or nulls) as UTF-8 bytes back to back: string i ends at `ends[i]`, or, for a null,
 * `ends[i]` is `-(end + 1)`. Read back one at a time (`packedString`), so the sending thread holds
 * a buffer instead of a string object per line or record: 18 MB less peak RSS on a 1M import
 * (docs/performance.md, "Crossing threads packed").
 */
export interface PackedStrings {
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
}

/**
 * Line i's text is bytes [starts[i], ends[i]) of `bytes`, the input block it was read from, sent
 * back rather than copied. Not a string per line on the sending thread's heap: texts kept until
 * their lines settle filled its old generation (376 MB peak RSS at 100k messages with --rejects,
 * 462 MB at 1M).
 */
export interface LineTexts {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * A block's lines with records to send, packed where they were mapped: the records' JSON as UTF-8
 * bytes back to back, and the facts of each line and record in typed arrays. It crosses threads
 * as a few transferred buffers instead of an object per line and per record.
 */
export interface SentBlock {
  readonly bytes: Uint8Array;
  /** Per line: its number (ascending), type (index into SEGMENT_TYPES), messageId. */
  readonly lines: Int32Array;
  readonly types: Uint8Array;
  /** Per line: LINE_FLAGS bits; and its dedupe key, two 32-bit halves (hi, lo) at 2i, 2i + 1. */
  readonly flags: Uint8Array;
  readonly keys: Uint32Array;
  readonly messageIds: PackedStrings;
  /** With keepText: the lines' texts, in the block's own input bytes. */
  readonly texts: LineTexts | null;
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
