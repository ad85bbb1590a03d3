import type { RecordSink, MappedLine } from './run.js';
import type { TextWriter } from './text-writer.js';

/**
 * The dry run's sink (SPEC §8): one NDJSON line per record, in input order,
 * `{"endpoint","file","line","messageId","record"}`. Each line counts as delivered.
 */
export function dryRunSink(writer: TextWriter): RecordSink {
  return {
    accept({ line, settle }: MappedLine) {
      const head = `{"endpoint":`;
      const place = `,"file":${JSON.stringify(line.ref.file)},"line":${line.ref.line},"messageId":${JSON.stringify(line.ref.messageId)},"record":`;
      let text = '';
      for (const record of line.records) text += `${head}${JSON.stringify(record.endpoint)}${place}${record.json}}\n`;
      settle({ kind: 'delivered', type: line.type });
      return writer.write(text);
    },
    finish: () => writer.flush(),
  };
}
