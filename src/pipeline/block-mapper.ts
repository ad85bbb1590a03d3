import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MappingOptions } from '../mapping/types.js';
import type { WrittenBlock } from './dry-run-format.js';
import type { MessageFilter, SettledLine } from './process-line.js';
import type { Block } from './read.js';
import type { SentBlock } from './wire-records.js';

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

const WORKER_FILE = fileURLToPath(new URL('./map-worker.js', import.meta.url));

/**
 * A worker's young generation (V8 grows it up to 48 MB by default). Measured on a 200k-message
 * dry run, 2 workers: RSS 211–217 MB by default, 157–163 MB at 12 MB, 176–180 MB at 18 MB. 18 MB
 * was faster than 12 MB in 5 of 7 interleaved pairs (41.1 s against 42.5 s in all), and on the
 * 200k import by 40.8 s against 42.4 s over 4 pairs, for 20–35 MB more RSS there; 24 and 36 MB
 * were no faster than 18 MB.
 */
const WORKER_YOUNG_GENERATION_MB = 18;

/**
 * `threads` workers split, parse and map while the main thread reads and sends; 0 maps inline.
 * Workers need the compiled worker file; from TypeScript sources (tests) mapping stays inline.
 */
export function createBlockMapper(setup: MapperSetup, threads: number): BlockMapper {
  if (threads <= 0 || !existsSync(WORKER_FILE)) return inlineMapper(setup);
  return workerMapper(setup, threads);
}

/**
 * Mapping in this thread. The mapping code (and its user-agent parser) is loaded on first use,
 * so a run whose workers map does not hold a copy of it in the main thread too.
 */
function inlineMapper(setup: MapperSetup): BlockMapper {
  const spares = new Spares();
  let code: Promise<typeof import('./map-block.js')> | undefined;
  return {
    map: async (block, selection) => {
      const { mapBlock } = await (code ??= import('./map-block.js'));
      return mapBlock(block, setup, selection, spares.take());
    },
    recycle: (bytes) => spares.give(bytes),
    depth: 1,
    close: async () => undefined,
  };
}

/**
 * Output memory handed back for reuse: without it, every block's output would be new memory that
 * the main thread frees only at its next garbage collection (tens of MB of RSS).
 */
export class Spares {
  private readonly free: Uint8Array[] = [];

  give(bytes: Uint8Array): void {
    if (this.free.length < 4) this.free.push(bytes);
  }

  take(): Uint8Array | undefined {
    return this.free.pop();
  }
}

/** What a worker is sent (a block to map, or output memory to use again) and what it answers. */
export type WorkerRequest =
  | { readonly kind: 'map'; readonly id: number; readonly block: Block; readonly selection: Selection }
  | { readonly kind: 'recycle'; readonly bytes: Uint8Array };

export interface WorkerReply {
  readonly id: number;
  readonly mapped: MappedBlock;
}

function workerMapper(setup: MapperSetup, threads: number): BlockMapper {
  const pending = new Map<number, { resolve: (mapped: MappedBlock) => void; reject: (error: Error) => void }>();
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(WORKER_FILE, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
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
        const request: WorkerRequest = { kind: 'map', id, block, selection };
        worker.postMessage(request, [block.bytes.buffer as ArrayBuffer]);
      });
    },
    recycle(bytes) {
      const request: WorkerRequest = { kind: 'recycle', bytes };
      workers[next % workers.length]!.postMessage(request, [bytes.buffer as ArrayBuffer]);
    },
    depth: threads * 2,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
