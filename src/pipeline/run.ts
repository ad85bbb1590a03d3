import type { Readable } from 'node:stream';
import type { MappingOptions } from '../mapping/types.js';
import type { WireRecord } from '../mixpanel/types.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import { Accounting } from './account.js';
import { createBlockMapper, type BlockMapper, type MappedBlock, type MapperSetup, type Selection } from './block-mapper.js';
import type { WrittenBlock } from './dry-run-format.js';
import type { LineOutcome, LineRef } from './outcomes.js';
import { badLine, type MessageFilter, type ProcessedLine } from './process-line.js';
import { readBlocks, type FileSummary } from './read.js';
import { unpackSentBlock } from './wire-records.js';

/** A mapped line handed to a sink: its records and the ticket that settles the line. */
export interface MappedLine {
  readonly line: ProcessedLine<WireRecord> & { kind: 'records' };
  /** Called once per line when all its records are settled (delivered, or rejected with a reason). */
  readonly settle: (outcome: LineOutcome) => void;
}

/** Where mapped records go, line by line: the Mixpanel sender. */
export interface LineSink {
  readonly kind: 'records';
  /** Take a line's records; the promise resolves when the sink has room for more (backpressure). */
  accept(line: MappedLine): Promise<void> | void;
  /** Send what is buffered and resolve once every accepted line has settled. */
  finish(): Promise<void>;
}

/** Where records formatted by the mapper go: the dry-run writer. Its lines count as delivered. */
export interface FormattedSink {
  readonly kind: 'formatted';
  /** One block's output; the promise resolves when the bytes are written (backpressure, and they may be reused). */
  write(bytes: Uint8Array): Promise<void>;
  finish(): Promise<void>;
}

export type RecordSink = LineSink | FormattedSink;

/** Called for every settled line (reports, rejects file, checkpoint). */
export type SettleListener = (ref: LineRef, outcome: LineOutcome, text: string) => void | Promise<void>;

export interface PipelineOptions {
  readonly files: readonly string[];
  readonly mapping: MappingOptions;
  readonly filter: MessageFilter;
  readonly sink: RecordSink;
  readonly accounting: Accounting;
  readonly onSettle: SettleListener;
  readonly stdin?: Readable;
  readonly stdinPath?: string;
  readonly skip?: (file: string, line: number) => boolean;
  readonly onFile?: (summary: FileSummary) => void;
  readonly onBlank?: (file: string, line: number) => void;
  /** Checked between blocks: when it returns true, reading stops (SIGINT). */
  readonly stopped?: () => boolean;
  readonly mapper?: BlockMapper;
  /** Keep each line's text until it settles (for --rejects); false lets it go once mapped. */
  readonly keepText?: boolean;
  /**
   * The alias pass: only alias calls are mapped, and only those `keep` accepts are handled and
   * counted; the sink is not finished.
   */
  readonly aliasPass?: { readonly keep: (line: ProcessedLine<WireRecord>) => boolean };
}

/** What the mappers need of a run's options; `format`: the sink takes formatted output (dry run). */
export function mapperSetup(options: Pick<PipelineOptions, 'mapping' | 'filter' | 'keepText'>, format: boolean): MapperSetup {
  return { mapping: options.mapping, filter: options.filter, keepText: options.keepText !== false, format };
}

/** The outcome of a line whose records were all delivered, one shared object per type. */
const DELIVERED = new Map<SegmentType, LineOutcome>(SEGMENT_TYPES.map((type) => [type, Object.freeze({ kind: 'delivered', type })]));

/**
 * read → map → sink, accounting for every line. The reader cuts the input into blocks of whole
 * lines; the mapper (worker threads, `depth` blocks ahead, or inline) splits, parses and maps them;
 * this loop only moves results along, in input order, and awaits the sink's backpressure.
 */
export async function runPipeline(options: PipelineOptions): Promise<void> {
  const { accounting, onSettle, sink, aliasPass } = options;
  const mapper = options.mapper ?? createBlockMapper(mapperSetup(options, sink.kind === 'formatted'), 0);
  const selection: Selection = aliasPass === undefined ? 'all' : 'aliases';
  const pendingSettles: Array<Promise<void>> = [];
  const settle = (ref: LineRef, outcome: LineOutcome, text: string): void => {
    accounting.settle(ref, outcome);
    const done = onSettle(ref, outcome, text);
    if (done) pendingSettles.push(done);
  };

  /** Settle the lines the mapper wrote as dry-run output (all delivered). */
  const settleWritten = (file: string, written: WrittenBlock, from: number, to: number): void => {
    for (let i = from; i < to; i += 1) {
      const type = SEGMENT_TYPES[written.types[i]!]!;
      accounting.read(type);
      settle({ file, line: written.lines[i]!, messageId: null }, DELIVERED.get(type)!, '');
    }
  };

  const consume = async (file: string, { lines: settledLines, blanks, written, sent }: MappedBlock): Promise<void> => {
    for (const blank of blanks) options.onBlank?.(file, blank);
    let writtenAt = 0;
    if (written !== null) {
      if (sink.kind !== 'formatted') throw new Error('formatted output for a sink that takes records');
      await sink.write(written.bytes);
      mapper.recycle(written.bytes);
      for (const [endpoint, count] of written.records) accounting.built(endpoint, count);
      for (const [warning, count] of written.warnings) accounting.warn(warning, count);
    }
    const lines = sent === null ? settledLines : inLineOrder(settledLines, unpackSentBlock(file, sent));
    for (const line of lines) {
      if (aliasPass !== undefined && !aliasPass.keep(line)) continue;
      if (written !== null) {
        // Written lines before this one settle first: settling stays in input order.
        const before = lowerBound(written.lines, line.ref.line, writtenAt);
        settleWritten(file, written, writtenAt, before);
        writtenAt = before;
      }
      accounting.read(line.type);
      if (line.kind === 'settled') {
        settle(line.ref, line.outcome, line.text);
        continue;
      }
      for (const warning of line.warnings) accounting.warn(warning);
      for (const record of line.records) accounting.built(record.endpoint);
      if (sink.kind !== 'records') throw new Error('records for a sink that takes formatted output');
      let settled = false;
      // The closure keeps only what settling needs: not the records, and the text only for --rejects.
      const { ref, text } = line;
      const room = sink.accept({
        line,
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          settle(ref, outcome, text);
        },
      });
      if (room) await room;
      if (options.stopped?.()) break;
    }
    if (written !== null) settleWritten(file, written, writtenAt, written.lines.length);
    if (pendingSettles.length > 0) await Promise.all(pendingSettles.splice(0));
  };

  const ahead: Array<{ file: string; mapped: Promise<MappedBlock> }> = [];
  const next = async (): Promise<void> => {
    const { file, mapped } = ahead.shift()!;
    await consume(file, await mapped);
  };
  const reader = readBlocks(options.files, { stdin: options.stdin, stdinPath: options.stdinPath, skip: options.skip, onFile: options.onFile });
  for await (const item of reader) {
    if (item.kind === 'bad') {
      // A line the reader rejected (over-long, truncated gzip): mapped inline, in its place.
      if (aliasPass === undefined) ahead.push({ file: item.file, mapped: Promise.resolve({ lines: [badLine(item)], blanks: [], written: null, sent: null, transfer: [] }) });
    } else {
      ahead.push({ file: item.file, mapped: mapper.map(item, selection) });
    }
    if (ahead.length >= mapper.depth) await next();
    if (options.stopped?.()) break;
  }
  // Interrupted: blocks mapped ahead but not yet handed on are dropped (not counted as read).
  while (ahead.length > 0 && !options.stopped?.()) await next();
  if (aliasPass === undefined) await sink.finish();
  await Promise.all(pendingSettles);
}

/** Two lists of lines, each in input order, as one. */
function inLineOrder<A extends { ref: LineRef }, B extends { ref: LineRef }>(first: readonly A[], second: readonly B[]): Array<A | B> {
  if (first.length === 0) return [...second];
  const out: Array<A | B> = [];
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    if (j === second.length || (i < first.length && first[i]!.ref.line < second[j]!.ref.line)) out.push(first[i++]!);
    else out.push(second[j++]!);
  }
  return out;
}

/** The first index at or after `from` whose line number is not below `line`. */
function lowerBound(lines: Int32Array, line: number, from: number): number {
  let at = from;
  while (at < lines.length && lines[at]! < line) at += 1;
  return at;
}
