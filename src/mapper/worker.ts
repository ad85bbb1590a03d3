import { parentPort, workerData } from 'node:worker_threads';
import { Spares } from './spares.js';
import { mapBlock } from './map-block.js';
import type { MapperSetup, WorkerReply, WorkerRequest } from './protocol.js';

/** Worker-thread entry: map the blocks the main thread posts; its output goes back transferred. */
const setup = workerData as MapperSetup;
const spares = new Spares();
parentPort!.on('message', (request: WorkerRequest) => {
  if (request.kind === 'recycle') {
    spares.give(request.bytes);
    return;
  }
  let reply: WorkerReply;
  try {
    const mapped = mapBlock(request.block, setup, request.selection, spares.take());
    reply = { kind: 'mapped', id: request.id, mapped };
  } catch (error) {
    // Mapping is pure and a bad line is data, so this is a defect; the run stops with its message.
    reply = { kind: 'failed', id: request.id, message: (error as Error).message };
  }
  parentPort!.postMessage(reply, reply.kind === 'mapped' ? reply.mapped.transfer : []);
});
