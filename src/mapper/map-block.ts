import { DryRunOutput } from './dry-run-output.js';
import { processLine } from './process-line.js';
import { splitBlock } from '../input/split-lines.js';
import { SentBlockBuilder } from './packed-block.js';
import type { MappedBlock, MapperSetup, Selection, SettledLine } from './protocol.js';
import type { Block } from '../input/types.js';

/**
 * Split, decode, filter and map one block. Pure apart from JSON.parse; the same function runs in
 * the worker threads and, without them, in the main thread.
 */
export function mapBlock(block: Block, setup: MapperSetup, selection: Selection, spare?: Uint8Array): MappedBlock {
  const lines: SettledLine[] = [];
  const blanks: number[] = [];
  // On the bench archive the dry-run output is about 1.2 times the input, the records sent about
  // 0.6 times; both grow when needed.
  const output = setup.format ? new DryRunOutput(Math.ceil(block.bytes.length * 1.25), spare) : null;
  const sent = setup.format ? null : new SentBlockBuilder(Math.ceil(block.bytes.length * 0.7), setup.keepText, spare);
  splitBlock(
    block,
    (input, from, to) => {
      if (selection === 'aliases' && input.kind === 'bad') return;
      const line = processLine(input, setup.mapping, setup.filter);
      if (selection === 'aliases' && line.type !== 'alias') return;
      if (line.kind === 'settled') {
        lines.push(line.outcome.kind === 'rejected' ? line : { ...line, text: '' });
      } else if (output !== null) {
        output.add(line.ref, line.type, line.records, line.warnings, line.deviceMode);
      } else {
        sent!.add(line, from, to);
      }
    },
    // The alias pass reads sparse blocks (input/sparse-blocks.ts): the reader kept only the lines
    // that may hold an alias call and emptied the others. The main pass counts the blank lines.
    selection === 'aliases' ? NOTHING : (line) => blanks.push(line),
  );
  if (output !== null) {
    const { written, transfer } = output.take();
    return { lines, blanks, written, sent: null, transfer };
  }
  const packed = sent!.take(block.bytes);
  return { lines, blanks, written: null, sent: packed.sent, transfer: packed.transfer };
}

const NOTHING = (): void => undefined;
