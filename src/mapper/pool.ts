import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Spares } from './spares.js';
import type { BlockMapper, MappedBlock, MapperSetup, WorkerReply, WorkerRequest } from './protocol.js';

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

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

function workerMapper(setup: MapperSetup, threads: number): BlockMapper {
  const pending = new Map<number, { resolve: (mapped: MappedBlock) => void; reject: (error: Error) => void }>();
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(WORKER_FILE, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    worker.on('message', (reply: WorkerReply) => {
      const job = pending.get(reply.id)!;
      pending.delete(reply.id);
      if (reply.kind === 'mapped') job.resolve(reply.mapped);
      else job.reject(new Error(`mapping a block failed: ${reply.message}`));
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
