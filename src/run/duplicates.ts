import { LINE_FLAGS } from '../lib/line-flags.js';
import type { DedupeWindow } from './dedupe-window.js';

/** What the dedupe decision reads of a mapped block's lines with records (a SentBlock or a WrittenBlock). */
interface KeyedLines {
  readonly flags: Uint8Array;
  readonly keys: Uint32Array;
}

/**
 * The lines of a block that repeat a message already seen (README "Options", `--dedupe-window`),
 * as 1s in a list with one entry per line, or null when there are none. Called for the blocks in
 * input order, on the main thread, so the decision does not depend on the mapping threads; lines
 * settled where they were mapped (skipped, rejected) have no key and do not count as seen.
 */
export function findDuplicates(lines: KeyedLines, window: DedupeWindow): Uint8Array | null {
  let duplicates: Uint8Array | null = null;
  for (let i = 0; i < lines.flags.length; i += 1) {
    if ((lines.flags[i]! & LINE_FLAGS.keyed) === 0) continue;
    if (window.seen(lines.keys[2 * i]!, lines.keys[2 * i + 1]!)) (duplicates ??= new Uint8Array(lines.flags.length))[i] = 1;
  }
  return duplicates;
}

/**
 * The dry-run output without the duplicate lines' output: the bytes are moved together in place
 * (they are not written yet) and the part kept is returned. `outputEnds[i]` is where line i's
 * output ends.
 */
export function withoutDuplicates(bytes: Uint8Array, outputEnds: Int32Array, duplicates: Uint8Array): Uint8Array {
  let kept = 0;
  let start = 0;
  for (let i = 0; i < outputEnds.length; i += 1) {
    const end = outputEnds[i]!;
    if (duplicates[i] !== 1) {
      if (kept !== start) bytes.copyWithin(kept, start, end);
      kept += end - start;
    }
    start = end;
  }
  return bytes.subarray(0, kept);
}
