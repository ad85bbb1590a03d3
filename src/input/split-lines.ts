import { Buffer, isUtf8 } from 'node:buffer';
import { asBuffer } from '../lib/as-buffer.js';
import type { Block, InputLine } from './types.js';

// Pure: the reader's line format (BOM, CRLF, blank lines, UTF-8). The mapper workers split their
// blocks with it, and the main thread with readLines (diff, tests).

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** U+FFFD, what invalid UTF-8 decodes to. */
const REPLACEMENT = '\uFFFD';

/**
 * Split a block into its lines: BOM (line 1), CRLF, blank lines (reported, not emitted), invalid
 * UTF-8 (a bad line), and the lines to skip. Runs wherever the block is mapped.
 */
export function splitBlock(
  block: Block,
  /** `from`, `to`: where the line's text is in the block's bytes. */
  onLine: (line: InputLine, from: number, to: number) => void,
  onBlank: (line: number) => void,
): void {
  const { bytes, file, skip } = block;
  const buffer = asBuffer(bytes);
  let skipAt = 0;
  let line = block.firstLine - 1;
  for (let start = 0; start < buffer.length; ) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end === -1) end = buffer.length;
    line += 1;
    let from = start;
    let to = end;
    start = end + 1;
    while (skipAt < skip.length && skip[skipAt]! < line) skipAt += 1;
    if (skipAt < skip.length && skip[skipAt] === line) continue;
    if (line === 1 && to - from >= 3 && buffer[0] === BOM[0] && buffer[1] === BOM[1] && buffer[2] === BOM[2]) from += 3;
    if (to > from && buffer[to - 1] === CR) to -= 1;
    if (isBlank(buffer, from, to)) {
      onBlank(line);
      continue;
    }
    const text = buffer.toString('utf8', from, to);
    // Invalid UTF-8 decodes to U+FFFD, so only a line showing one needs the exact check (a
    // one-byte string cannot hold it: the usual line costs no scan and no view of its bytes).
    if (text.includes(REPLACEMENT) && !isUtf8(buffer.subarray(from, to))) onLine({ kind: 'bad', file, line, reason: 'line is not valid UTF-8', text }, from, to);
    else onLine({ kind: 'line', file, line, text }, from, to);
  }
}

function isBlank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== CR) return false;
  }
  return true;
}
