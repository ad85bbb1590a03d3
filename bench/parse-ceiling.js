// Parse-only ceiling: read the file the way mpx-replay does (fs stream, 1 MiB chunks, split on
// \n) and JSON.parse every line, nothing else. Prints {"lines":N,"bad":M}.
//   node bench/parse-ceiling.js <file.ndjson>
import { createReadStream } from 'node:fs';

let lines = 0;
let bad = 0;
let pending = Buffer.alloc(0);

function parse(bytes) {
  if (bytes.length === 0) return;
  lines += 1;
  try {
    JSON.parse(bytes.toString('utf8'));
  } catch {
    bad += 1;
  }
}

for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  let start = 0;
  for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
    parse(pending.length === 0 ? chunk.subarray(start, nl) : Buffer.concat([pending, chunk.subarray(start, nl)]));
    pending = Buffer.alloc(0);
    start = nl + 1;
  }
  if (start < chunk.length) pending = Buffer.concat([pending, chunk.subarray(start)]);
}
parse(pending);
process.stdout.write(`${JSON.stringify({ lines, bad })}\n`);
