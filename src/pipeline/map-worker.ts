import { parentPort, workerData } from 'node:worker_threads';
import { Spares, type MapperSetup, type WorkerReply, type WorkerRequest } from './block-mapper.js';
import { mapBlock } from './map-block.js';

/** Worker-thread entry: map the blocks the main thread posts; its output goes back transferred. */
const setup = workerData as MapperSetup;
const spares = new Spares();
parentPort!.on('message', (request: WorkerRequest) => {
  if (request.kind === 'recycle') {
    spares.give(request.bytes);
    return;
  }
  const mapped = mapBlock(request.block, setup, request.selection, spares.take());
  const reply: WorkerReply = { id: request.id, mapped };
  parentPort!.postMessage(reply, mapped.transfer);
});
