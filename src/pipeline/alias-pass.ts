import type { WireRecord } from '../mixpanel/types.js';
import type { ProcessedLine } from './process-line.js';

/** Cheap text test for lines that may be alias calls; the parsed type decides. */
const MAY_BE_ALIAS = /"type"\s*:\s*"alias"/i;

/** Whether a line's text may hold an alias call (the alias pass parses only those). */
export function mayBeAlias(text: string): boolean {
  return MAY_BE_ALIAS.test(text);
}

/**
 * The first pass of a delivery in original mode (SPEC §6.1): alias calls are read, mapped and
 * sent before everything else, and their new ids are held until acknowledged + the alias delay.
 * Returns what runPipeline keeps of the alias lines the mapper selects, and the set of alias
 * lines the main pass must skip.
 */
export function aliasPassSelection(expect: (newId: string) => void): {
  keep: (line: ProcessedLine<WireRecord>) => boolean;
  handled: (file: string, line: number) => boolean;
} {
  const lines = new Map<string, Set<number>>();
  return {
    keep: (line) => {
      if (line.type !== 'alias') return false;
      let set = lines.get(line.ref.file);
      if (set === undefined) lines.set(line.ref.file, (set = new Set()));
      set.add(line.ref.line);
      if (line.kind === 'records') {
        for (const record of line.records) if (record.aliasFor !== null) expect(record.aliasFor);
      }
      return true;
    },
    handled: (file, line) => lines.get(file)?.has(line) === true,
  };
}
