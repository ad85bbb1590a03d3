import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerSetup } from './line-mapper.js';
import { processLine } from './process-line.js';
import type { InputLine } from './read.js';

/** Worker-thread entry: map the batches the main thread posts, send the results back without the texts. */
const { mapping, filter } = workerData as WorkerSetup;
parentPort!.on('message', ({ id, lines }: { id: number; lines: InputLine[] }) => {
  parentPort!.postMessage({ id, lines: lines.map((line) => ({ ...processLine(line, mapping, filter), text: '' })) });
});
