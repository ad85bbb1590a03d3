import type { Batch } from './batcher.js';
import type { InFlightBlock } from './in-flight-block.js';

/**
 * The resume journal's per-record side (run/checkpoint.ts): the `$add`/`$append` records of
 * lines not yet settled that Mixpanel acknowledged, by file, line and position within the line,
 * so a re-run sends the rest of such a line but not them.
 */
export interface RecordJournal {
  isAcknowledged(file: string, line: number, position: number): boolean;
  acknowledge(file: string, line: number, position: number): void;
  /** Resolves once everything acknowledged so far is on disk. */
  written(): Promise<void>;
}

/** A batch to /engage or /groups was acknowledged: journal its non-idempotent records; whether there were any. */
export function journalAcknowledged(journal: RecordJournal, batch: Batch<InFlightBlock>): boolean {
  if (batch.endpoint === '/import') return false;
  let any = false;
  for (let k = 0; k < batch.records.length; k += 1) {
    const { block, tally } = batch.sources[k]!;
    const record = batch.records[k]!;
    if (block.idempotent(record)) continue;
    const line = tally.lineOf(record);
    journal.acknowledge(block.file, block.lineNumber(line), record - block.firstRecord(line));
    any = true;
  }
  return any;
}
