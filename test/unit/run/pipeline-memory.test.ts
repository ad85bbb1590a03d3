/**
 * What the pipeline keeps of a block while its lines are in flight is released when they settle,
 * so memory follows the lines in flight, not the input's size (issue 15, "Memory grows with input
 * size under --rejects"). The real pipeline and inline mapper over a file of several blocks, with
 * a sink that settles what it is given.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTER } from '../../../src/config/filter.js';
import type { LineSink } from '../../../src/delivery/sink.js';
import { createBlockMapper } from '../../../src/mapper/pool.js';
import type { BlockMapper } from '../../../src/mapper/protocol.js';
import { Accounting } from '../../../src/run/accounting.js';
import { mapperSetup, runPipeline } from '../../../src/run/pipeline.js';
import { options } from '../../support/mapping.js';
import { tempDir } from '../../support/temp-dir.js';

const LINES = 20_000;
const track = (n: number): string =>
  JSON.stringify({ type: 'track', event: `Viewed ${n}`, userId: `user-${n % 97}`, messageId: `msg-${n}`, timestamp: '2026-11-29T08:15:30.250Z', properties: { fill: 'x'.repeat(100 + (n % 13)) } });

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeAll(() => {
  tmp = tempDir('mpx-pipeline-memory-');
  file = tmp.unique('many-blocks.ndjson');
  writeFileSync(file, `${Array.from({ length: LINES }, (_, i) => track(i + 1)).join('\n')}\n`);
});
afterAll(() => tmp.cleanup());

/** The inline mapper, recording each block's input bytes and the memory given back. */
function watchedMapper(keepText: boolean): BlockMapper & { inputs: Uint8Array[]; recycled: Uint8Array[] } {
  const mapper = createBlockMapper(mapperSetup({ mapping: options(), filter: NO_FILTER, keepText }, false), 0);
  const inputs: Uint8Array[] = [];
  const recycled: Uint8Array[] = [];
  return {
    inputs,
    recycled,
    depth: mapper.depth,
    close: () => mapper.close(),
    map: (block, selection) => {
      inputs.push(block.bytes);
      return mapper.map(block, selection);
    },
    recycle: (bytes) => recycled.push(bytes),
  };
}

/** Settles every line it is given at once, as delivered, without taking the records into bodies. */
const settlingSink: LineSink = {
  kind: 'records',
  accept: (_block, lines, settle) => {
    for (const line of lines) settle(line, null);
  },
  finish: async () => undefined,
};

describe('§6 the texts of a block kept for --rejects are given back when its lines settle', () => {
  it.each([
    { name: 'with --rejects, the input bytes of every block come back once, in order', keepText: true, back: (blocks: number) => Array.from({ length: blocks }, (_, i) => i) },
    { name: 'without: nothing is kept, nothing comes back', keepText: false, back: () => [] },
  ])('$name', async ({ keepText, back }) => {
    const mapper = watchedMapper(keepText);
    const accounting = new Accounting();
    await runPipeline({ files: [file], mapping: options(), filter: NO_FILTER, sink: settlingSink, accounting, onSettle: () => undefined, mapper, keepText });
    expect(accounting.linesDelivered).toBe(LINES);
    expect(mapper.inputs.length).toBeGreaterThanOrEqual(3);
    // Which block's input each buffer given back is (compared by identity: they are the same memory).
    expect(mapper.recycled.map((bytes) => mapper.inputs.indexOf(bytes))).toEqual(back(mapper.inputs.length));
  });
});
