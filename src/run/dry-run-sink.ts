import type { RecordSink } from './pipeline.js';
import type { TextWriter } from '../lib/text-writer.js';

/**
 * The dry run's sink (SPEC §8): the mapper formats each line's records as NDJSON output lines
 * (dry-run-format.ts), in input order; this writes them. Each line counts as delivered.
 */
export function dryRunSink(writer: TextWriter): RecordSink {
  return {
    kind: 'formatted',
    write: (bytes) => writer.writeBytes(bytes),
    finish: () => writer.flush(),
  };
}
