import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MappingOptions } from '../mapping/types.js';
import { mayBeAlias } from './alias-pass.js';
import { DryRunOutput, type WrittenBlock } from './dry-run-format.js';
import { processLine, type MessageFilter, type ProcessedLine } from './process-line.js';
import { splitBlock, type Block } from './read.js';

/** Which lines of a block are wanted: all, or only alias calls (the alias pass, SPEC §6.1). */
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
 * A mapped block: its lines in input order (dry run: only the skipped and rejected ones), its
 * blank lines, and (dry run) the output of the lines whose records were written.
 */
export interface MappedBlock {
  readonly lines: ProcessedLine[];
  readonly blanks: number[];
  readonly written: WrittenBlock | null;
}

/**
 * Split, decode, filter and map one block. Pure apart from JSON.parse; the same function runs in
 * the worker threads and, without them, in the main thread.
 */
export function mapBlock(block: Block, setup: MapperSetup, selection: Selection): MappedBlock {
  const lines: ProcessedLine[] = [];
  const blanks: number[] = [];
  const output = setup.format ? new DryRunOutput(block.bytes.length * 2) : null;
  splitBlock(
    block,
    (input) => {
      if (selection === 'aliases' && (input.kind === 'bad' || !mayBeAlias(input.text))) return;
      const line = processLine(input, setup.mapping, setup.filter);
      if (selection === 'aliases' && line.type !== 'alias') return;
      if (line.kind === 'settled') {
        lines.push(line.outcome.kind === 'rejected' ? line : { ...line, text: '' });
      } else if (output !== null) {
        output.add(line.ref, line.type, line.records, line.warnings);
      } else {
        lines.push(setup.keepText ? line : { ...line, text: '' });
      }
    },
    (line) => blanks.push(line),
  );
  return { lines, blanks, written: output?.take() ?? null };
}

/** Maps blocks, in this thread or in worker threads. Results come back in the order asked. */
export interface BlockMapper {
  map(block: Block, selection: Selection): Promise<MappedBlock>;
  /** How many blocks may be in flight before the caller should consume results. */
  readonly depth: number;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./map-worker.js', import.meta.url));

/**
 * `threads` workers split, parse and map while the main thread reads and sends; 0 maps inline.
 * Workers need the compiled worker file; from TypeScript sources (tests) mapping stays inline.
 */
export function createBlockMapper(setup: MapperSetup, threads: number): BlockMapper {
  if (threads <= 0 || !existsSync(WORKER_FILE)) return inlineMapper(setup);
  return workerMapper(setup, threads);
}

function inlineMapper(setup: MapperSetup): BlockMapper {
  return {
    map: async (block, selection) => mapBlock(block, setup, selection),
    depth: 1,
    close: async () => undefined,
  };
}

/** What a worker is sent and what it answers. */
export interface WorkerRequest {
  readonly id: number;
  readonly block: Block;
  readonly selection: Selection;
}

export interface WorkerReply {
  readonly id: number;
  readonly mapped: MappedBlock;
}

function workerMapper(setup: MapperSetup, threads: number): BlockMapper {
  const pending = new Map<number, { resolve: (mapped: MappedBlock) => void; reject: (error: Error) => void }>();
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(WORKER_FILE, { workerData: setup });
    worker.on('message', ({ id, mapped }: WorkerReply) => {
      const job = pending.get(id)!;
      pending.delete(id);
      job.resolve(mapped);
    });
    worker.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    });
    return worker;
  });
  let next = 0;
  return {
    map(block, selection) {
      const id = next++;
      const worker = workers[id % workers.length]!;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // The block's bytes move to the worker (transferred, not copied).
        const request: WorkerRequest = { id, block, selection };
        worker.postMessage(request, [block.bytes.buffer as ArrayBuffer]);
      });
    },
    depth: threads * 2,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
