import { parentPort, workerData } from 'node:worker_threads';
import { mapBlock, type MapperSetup, type WorkerReply, type WorkerRequest } from './block-mapper.js';

/** Worker-thread entry: map the blocks the main thread posts; the dry-run output goes back transferred. */
const setup = workerData as MapperSetup;
parentPort!.on('message', ({ id, block, selection }: WorkerRequest) => {
  const mapped = mapBlock(block, setup, selection);
  const reply: WorkerReply = { id, mapped };
  const written = mapped.written;
  parentPort!.postMessage(reply, written === null ? [] : [written.bytes.buffer as ArrayBuffer, written.lines.buffer as ArrayBuffer, written.types.buffer as ArrayBuffer]);
});
