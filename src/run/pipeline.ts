import type { Readable } from 'node:stream';
import type { MappingOptions } from '../mapping/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import { Accounting } from './accounting.js';
import type { AliasLine } from '../delivery/alias-pass.js';
import { createBlockMapper } from '../mapper/pool.js';
import { aliasCandidates } from '../mapper/alias-scan.js';
import type { LineOutcome, LineRef } from '../outcomes.js';
import { badLine } from '../mapper/input-rejection.js';
import { readBlocks } from '../input/read.js';
import type { MessageFilter } from '../config/filter.js';
import type { BlockMapper, MappedBlock, MapperSetup, Selection } from '../mapper/protocol.js';
import { OutgoingBlock } from '../delivery/outgoing-block.js';
import type { LineSink } from '../delivery/sink.js';
import type { FileSummary, OpenInput } from '../input/types.js';
import { ENDPOINTS } from '../mixpanel/types.js';
import { LINE_FLAGS } from '../lib/line-flags.js';
import { DedupeWindow } from './dedupe-window.js';
import { findDuplicates, withoutDuplicates } from './duplicates.js';

/** Where records formatted by the mapper go: the dry-run writer. Its lines count as delivered. */
export interface FormattedSink {
  readonly kind: 'formatted';
  /** One block's output; the promise resolves when the bytes are written (backpressure, and they may be reused). */
  write(bytes: Uint8Array): Promise<void>;
  finish(): Promise<void>;
}

export type RecordSink = LineSink | FormattedSink;

/** Called for every settled line (reports, rejects file, checkpoint); `text`: a rejected line's text (of a line with records, only with --rejects), else ''. */
export type SettleListener = (ref: LineRef, outcome: LineOutcome, text: string) => void | Promise<void>;

export interface PipelineOptions {
  readonly files: readonly string[];
  readonly mapping: MappingOptions;
  readonly filter: MessageFilter;
  readonly sink: RecordSink;
  readonly accounting: Accounting;
  readonly onSettle: SettleListener;
  readonly stdin?: Readable;
  /** Inputs read from a spooled copy (input/spool.ts). */
  readonly spooled?: ReadonlyMap<string, string>;
  /** Read no more than this of a file: what the alias pass read. */
  readonly lengths?: ReadonlyMap<string, number>;
  /** The bytes of inputs that are not local files (`s3://` objects). */
  readonly open?: OpenInput;
  readonly skip?: (file: string, line: number) => boolean;
  readonly onFile?: (summary: FileSummary) => void;
  /** Bytes read from an input (for progress). */
  readonly onRead?: (file: string, bytes: number) => void;
  readonly onBlank?: (file: string, line: number) => void;
  /** Checked between blocks: when it returns true, reading stops (SIGINT). */
  readonly stopped?: () => boolean;
  /** Aborted with `stopped`, so that reading stdin stops even while it waits for input. */
  readonly signal?: AbortSignal;
  readonly mapper?: BlockMapper;
  /** Keep each line's text until it settles (for --rejects); false lets it go once mapped. */
  readonly keepText?: boolean;
  /**
   * The alias pass: only alias calls are mapped, and only those `keep` accepts are handled and
   * counted; the sink is not finished.
   */
  readonly aliasPass?: { readonly keep: (line: AliasLine) => boolean };
  /** `--dedupe-window`: skip a message whose type and messageId were seen among the last n (0 or absent: off). */
  readonly dedupeWindow?: number;
}

/**
 * The bytes of sparse blocks the alias pass may have in flight (32 of 256 KiB, ~9,000 lines each
 * on the bench archive): the main thread reads on while the workers start, instead of stopping
 * after `mapper.depth` blocks. In bytes, so that blocks of very long lines stay few.
 */
const ALIAS_PASS_AHEAD_BYTES = 8 * 1024 * 1024;

/** What the mappers need of a run's options; `format`: the sink takes formatted output (dry run). */
export function mapperSetup(options: Pick<PipelineOptions, 'mapping' | 'filter' | 'keepText'>, format: boolean): MapperSetup {
  return { mapping: options.mapping, filter: options.filter, keepText: options.keepText !== false, format };
}

/** The outcome of a line whose records were all delivered, one shared object per type. */
const DELIVERED = new Map<SegmentType, LineOutcome>(SEGMENT_TYPES.map((type) => [type, Object.freeze({ kind: 'delivered', type })]));
/** The outcome of a line that repeats a message already seen in the run. */
const DUPLICATE = new Map<SegmentType, LineOutcome>(SEGMENT_TYPES.map((type) => [type, Object.freeze({ kind: 'skipped', type, reason: 'duplicate messageId' })]));

/**
 * read → map → sink, accounting for every line. The reader cuts the input into blocks of whole
 * lines; the mapper (worker threads, `depth` blocks ahead, or inline) splits, parses and maps them;
 * this loop only moves results along, in input order, and awaits the sink's backpressure.
 */
export async function runPipeline(options: PipelineOptions): Promise<void> {
  const { sink, aliasPass } = options;
  const mapper = options.mapper ?? createBlockMapper(mapperSetup(options, sink.kind === 'formatted'), 0);
  const selection: Selection = aliasPass === undefined ? 'all' : 'aliases';
  const pendingSettles: Array<Promise<void>> = [];
  const consume = blockConsumer(options, mapper, pendingSettles);

  const ahead: Array<{ file: string; bytes: number; mapped: Promise<MappedBlock> }> = [];
  let aheadBytes = 0;
  const full = (): boolean => ahead.length >= mapper.depth && (aliasPass === undefined || aheadBytes >= ALIAS_PASS_AHEAD_BYTES);
  const next = async (): Promise<void> => {
    const { file, bytes, mapped } = ahead.shift()!;
    aheadBytes -= bytes;
    await consume(file, await mapped);
  };
  const reader = readBlocks(options.files, { stdin: options.stdin, spooled: options.spooled, skip: options.skip, onFile: options.onFile, onRead: options.onRead, signal: options.signal, open: options.open, lengths: options.lengths, ...(aliasPass && { wanted: aliasCandidates }) });
  for await (const item of reader) {
    if (options.stopped?.()) break;
    if (item.kind === 'bad') {
      // A line the reader rejected (over-long, truncated gzip): mapped inline, in its place.
      if (aliasPass === undefined) ahead.push({ file: item.file, bytes: 0, mapped: Promise.resolve({ lines: [badLine(item)], blanks: [], written: null, sent: null, transfer: [] }) });
    } else {
      // Counted before the block's bytes move to a worker.
      aheadBytes += item.bytes.length;
      ahead.push({ file: item.file, bytes: item.bytes.length, mapped: mapper.map(item, selection) });
    }
    if (full()) await next();
    if (options.stopped?.()) break;
  }
  // Interrupted: blocks mapped ahead but not yet handed on are dropped (not counted as read).
  while (ahead.length > 0 && !options.stopped?.()) await next();
  if (aliasPass === undefined) await sink.finish();
  await Promise.all(pendingSettles);
}

/**
 * What happens to one mapped block, in input order: duplicates found, dry-run output written,
 * every line counted and settled or handed to the sink (whose backpressure it awaits).
 */
function blockConsumer(options: PipelineOptions, mapper: BlockMapper, pendingSettles: Array<Promise<void>>): (file: string, block: MappedBlock) => Promise<void> {
  const { accounting, onSettle, sink, aliasPass } = options;
  const settle = (ref: LineRef, outcome: LineOutcome, text: string): void => {
    accounting.settle(ref, outcome);
    const done = onSettle(ref, outcome, text);
    if (done) pendingSettles.push(done);
  };

  // One window per pass: the alias pass sees only alias calls, the main pass everything else.
  const dedupe = options.dedupeWindow ? new DedupeWindow(options.dedupeWindow) : null;

  const consume = async (file: string, { lines: settledLines, blanks, written, sent }: MappedBlock): Promise<void> => {
    for (const blank of blanks) options.onBlank?.(file, blank);
    const keyed = written ?? sent;
    const duplicates = dedupe === null || keyed === null ? null : findDuplicates(keyed, dedupe);
    if (written !== null) {
      if (sink.kind !== 'formatted') throw new Error('formatted output for a sink that takes records');
      await sink.write(duplicates === null ? written.bytes : withoutDuplicates(written.bytes, written.outputEnds, duplicates));
      mapper.recycle(written.bytes);
    }
    // The alias pass sends only some of its lines' records: their memory is left to the collector.
    const outgoing = sent === null ? null : new OutgoingBlock(file, sent, aliasPass === undefined ? (bytes) => mapper.recycle(bytes) : undefined);
    /** Lines of `outgoing` to send. */
    const toSend: number[] = [];
    const built = new Int32Array(ENDPOINTS.length);
    /** A written line (dry run) is delivered once written; an outgoing one is counted and queued. */
    const takeWritten = (i: number): void => {
      const type = SEGMENT_TYPES[written!.types[i]!]!;
      accounting.read(type);
      const ref = { file, line: written!.lines[i]!, messageId: null };
      if (duplicates?.[i] === 1) return settle(ref, DUPLICATE.get(type)!, '');
      for (let r = written!.firstRecord[i]!; r < written!.firstRecord[i + 1]!; r += 1) built[written!.endpoints[r]!]! += 1;
      if ((written!.flags[i]! & LINE_FLAGS.deviceMode) !== 0) accounting.deviceMode += 1;
      settle(ref, DELIVERED.get(type)!, '');
    };
    const takeOutgoing = (i: number): void => {
      const type = outgoing!.type(i);
      const duplicate = duplicates?.[i] === 1;
      // A duplicate alias is marked as handled (the main pass skips it) but links no id.
      if (aliasPass !== undefined && !aliasPass.keep({ file, line: outgoing!.lineNumber(i), type, aliasFor: duplicate ? [] : aliasesOf(outgoing!, i) })) return;
      accounting.read(type);
      if (duplicate) {
        outgoing!.drop(i);
        return settle(outgoing!.ref(i), DUPLICATE.get(type)!, outgoing!.settle(i, false));
      }
      for (const warning of outgoing!.warnings(i)) accounting.warn(warning);
      for (let r = outgoing!.firstRecord(i); r < outgoing!.firstRecord(i + 1); r += 1) accounting.built(outgoing!.endpoint(r));
      if (outgoing!.deviceMode(i)) accounting.deviceMode += 1;
      toSend.push(i);
    };
    // The lines with records and the settled ones (skipped, rejected) are taken in input order.
    const numbers = sent?.lines ?? written?.lines ?? NO_LINES;
    const take = outgoing === null ? takeWritten : takeOutgoing;
    let at = 0;
    const takeUpTo = (line: number): void => {
      for (; at < numbers.length && numbers[at]! < line; at += 1) take(at);
    };
    for (const line of settledLines) {
      takeUpTo(line.ref.line);
      if (aliasPass !== undefined && !aliasPass.keep({ file, line: line.ref.line, type: line.type, aliasFor: [] })) continue;
      accounting.read(line.type);
      settle(line.ref, line.outcome, line.text);
    }
    takeUpTo(Number.POSITIVE_INFINITY);
    if (written !== null) countWritten(written, duplicates, built);
    if (outgoing !== null && toSend.length > 0) {
      if (sink.kind !== 'records') throw new Error('records for a sink that takes formatted output');
      const room = sink.accept(outgoing, toSend, (index, rejection) => {
        const type = outgoing.type(index);
        const outcome: LineOutcome =
          rejection === null
            ? DELIVERED.get(type)!
            : { kind: 'rejected', type, stage: 'mixpanel', reason: rejection.reason, ...(rejection.unsent && { unsent: true as const }) };
        // Only a rejected line's text is written (the rejects file).
        settle(outgoing.ref(index), outcome, outgoing.settle(index, rejection !== null));
      });
      if (room) await room;
    }
    if (pendingSettles.length > 0) await Promise.all(pendingSettles.splice(0));
  };

  /** A dry-run block's records per endpoint (counted per line in `built`) and warnings, duplicates left out. */
  const countWritten = (written: NonNullable<MappedBlock['written']>, duplicates: Uint8Array | null, built: Int32Array): void => {
    built.forEach((count, endpoint) => count > 0 && accounting.built(ENDPOINTS[endpoint]!, count));
    for (const [i, warnings] of written.warnings) if (duplicates?.[i] !== 1) for (const warning of warnings) accounting.warn(warning);
  };
  return consume;
}

const NO_LINES = new Int32Array(0);

/** The new ids of a line's `$create_alias` records. */
function aliasesOf(block: OutgoingBlock, line: number): string[] {
  const ids: string[] = [];
  for (let r = block.firstRecord(line); r < block.firstRecord(line + 1); r += 1) {
    const id = block.aliasFor(r);
    if (id !== null) ids.push(id);
  }
  return ids;
}
