import type { RecordSink } from './pipeline.js';
import type { TextWriter } from '../lib/text-writer.js';

/**
 * The dry run's sink (README "Dry run and diff"): the mapper formats each line's records as NDJSON output lines
 * (mapper/dry-run-output.ts), in input order; this writes them. Each line counts as delivered.
 */
export function dryRunSink(writer: TextWriter): RecordSink {
  return {
    kind: 'formatted',
    write: (bytes) => writer.writeBytes(bytes),
    finish: () => writer.flush(),
  };
}
