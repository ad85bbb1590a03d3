import type { MappingOptions } from '../mapping/types.js';
import { Accounting } from './account.js';
import type { LineOutcome, LineRef } from './outcomes.js';
import { createLineMapper, type LineMapper } from './line-mapper.js';
import type { MessageFilter, ProcessedLine } from './process-line.js';
import { readLines, type FileSummary } from './read.js';
import type { Readable } from 'node:stream';

/** A mapped line handed to a sink: its records and the ticket that settles the line. */
export interface MappedLine {
  readonly line: ProcessedLine & { kind: 'records' };
  /** Called once per line when all its records are settled (delivered, or rejected with a reason). */
  readonly settle: (outcome: LineOutcome) => void;
}

/** Where mapped records go: the dry-run writer, or the Mixpanel sender. */
export interface RecordSink {
  /** Take a line's records; the promise resolves when the sink has room for more (backpressure). */
  accept(line: MappedLine): Promise<void> | void;
  /** Send what is buffered and resolve once every accepted line has settled. */
  finish(): Promise<void>;
}

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
  /** Checked between batches: when it returns true, reading stops (SIGINT). */
  readonly stopped?: () => boolean;
  /**
   * A partial pass (the alias pass): only lines whose text passes `select` and whose processed
   * form passes `keep` are handled and counted; the sink is not finished.
   */
  readonly mapper?: LineMapper;
  /** Keep each line's text until it settles (for --rejects); false lets it go once mapped. */
  readonly keepText?: boolean;
  readonly partial?: { readonly select: (text: string) => boolean; readonly keep: (line: ProcessedLine) => boolean };
}

/**
 * read → map → sink, accounting for every line. Mapping runs in the given mapper (inline or in
 * worker threads, `depth` batches ahead); this loop only moves lines along, in input order, and
 * awaits the sink's backpressure.
 */
export async function runPipeline(options: PipelineOptions): Promise<void> {
  const { accounting, onSettle, sink, partial } = options;
  const mapper = options.mapper ?? createLineMapper({ mapping: options.mapping, filter: options.filter }, 0);
  const pendingSettles: Array<Promise<void>> = [];
  const settle = (ref: LineRef, outcome: LineOutcome, text: string): void => {
    accounting.settle(ref, outcome);
    const done = onSettle(ref, outcome, text);
    if (done) pendingSettles.push(done);
  };

  const consume = async (lines: ProcessedLine[]): Promise<void> => {
    for (const line of lines) {
      if (partial !== undefined && !partial.keep(line)) continue;
      accounting.read(line.type);
      if (line.kind === 'settled') {
        settle(line.ref, line.outcome, line.text);
        continue;
      }
      for (const record of line.records) accounting.built(record.endpoint);
      for (const warning of line.warnings) accounting.warn(warning);
      let settled = false;
      // The closure keeps only what settling needs: not the records, and the text only for --rejects.
      const { ref } = line;
      const text = options.keepText === false ? '' : line.text;
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
    if (pendingSettles.length > 0) await Promise.all(pendingSettles.splice(0));
  };

  const ahead: Array<Promise<ProcessedLine[]>> = [];
  const reader = readLines(options.files, { stdin: options.stdin, stdinPath: options.stdinPath, skip: options.skip, onFile: options.onFile, onBlank: options.onBlank });
  for await (const batch of reader) {
    const selected = partial === undefined ? batch : batch.filter((input) => input.kind === 'line' && partial.select(input.text));
    if (selected.length > 0) ahead.push(mapper.map(selected));
    if (ahead.length >= mapper.depth) await consume(await ahead.shift()!);
    if (options.stopped?.()) break;
  }
  // Interrupted: lines mapped ahead but not yet handed on are dropped (not counted as read).
  while (ahead.length > 0 && !options.stopped?.()) await consume(await ahead.shift()!);
  if (partial === undefined) await sink.finish();
  await Promise.all(pendingSettles);
}
