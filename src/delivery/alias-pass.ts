import type { SegmentType } from '../segment/types.js';

/** What the alias pass sees of a line it may keep. */
export interface AliasLine {
  readonly file: string;
  readonly line: number;
  readonly type: SegmentType | null;
  /** The new ids its `$create_alias` records link (none for a line settled when mapped). */
  readonly aliasFor: readonly string[];
}

/**
 * The first pass of a delivery in original mode (README "Alias ordering"): alias calls are read, mapped and
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
