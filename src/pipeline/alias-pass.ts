import { Buffer } from 'node:buffer';
import type { SegmentType } from '../segment/types.js';
import { asBuffer } from './as-buffer.js';

/** The end of the key `"type"`: searching from its rare `y` is ~4 times faster than from `"`. */
const TYPE_KEY_END = Buffer.from('ype"');
const ALIAS = Buffer.from('alias');
const COLON = 0x3a;
const QUOTE = 0x22;

/**
 * Where a block's bytes may hold an alias call, ascending: each `"type"` followed by optional JSON
 * whitespace, `:`, whitespace and the string "alias" in any case. The alias pass decodes and
 * parses only the lines holding one; the parsed type decides. The search runs on the raw bytes
 * (native substring search), so the other lines are never decoded.
 */
export function aliasCandidates(bytes: Uint8Array): number[] {
  const buffer = asBuffer(bytes);
  const found: number[] = [];
  for (let at = buffer.indexOf(TYPE_KEY_END, 2); at !== -1; at = buffer.indexOf(TYPE_KEY_END, at + TYPE_KEY_END.length)) {
    if (buffer[at - 2] === QUOTE && buffer[at - 1] === 0x74 /* t */ && isAliasValue(buffer, at + TYPE_KEY_END.length)) found.push(at - 2);
  }
  return found;
}

function isAliasValue(bytes: Buffer, from: number): boolean {
  let at = skipSpace(bytes, from);
  if (bytes[at] !== COLON) return false;
  at = skipSpace(bytes, at + 1);
  if (bytes[at] !== QUOTE) return false;
  // `| 0x20` lower-cases an ASCII letter and maps no other byte onto one.
  for (let k = 0; k < ALIAS.length; k += 1) if (((bytes[at + 1 + k] ?? 0) | 0x20) !== ALIAS[k]) return false;
  return bytes[at + 1 + ALIAS.length] === QUOTE;
}

/** Past JSON whitespace within a line: space, tab, CR. */
function skipSpace(bytes: Buffer, from: number): number {
  let at = from;
  while (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0d) at += 1;
  return at;
}

/** What the alias pass sees of a line it may keep. */
export interface AliasLine {
  readonly file: string;
  readonly line: number;
  readonly type: SegmentType | null;
  /** The new ids its `$create_alias` records link (none for a line settled when mapped). */
  readonly aliasFor: readonly string[];
}

/**
 * The first pass of a delivery in original mode (SPEC §6.1): alias calls are read, mapped and
 * sent before everything else, and their new ids are held until acknowledged + the alias delay.
 * Returns what runPipeline keeps of the alias lines the mapper selects, and the set of alias
 * lines the main pass must skip.
 */
export function aliasPassSelection(expect: (newId: string) => void): {
  keep: (line: AliasLine) => boolean;
  handled: (file: string, line: number) => boolean;
} {
  const lines = new Map<string, Set<number>>();
  return {
    keep: (line) => {
      if (line.type !== 'alias') return false;
      let set = lines.get(line.file);
      if (set === undefined) lines.set(line.file, (set = new Set()));
      set.add(line.line);
      for (const newId of line.aliasFor) expect(newId);
      return true;
    },
    handled: (file, line) => lines.get(file)?.has(line) === true,
  };
}
