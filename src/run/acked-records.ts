import { isObject } from '../lib/json.js';

/** In the journal, per file: line (as text) → positions of its acknowledged records. */
export type AckedJson = Record<string, number[]>;

/**
 * The journal's per-record part (docs/architecture.md "Settling lines, and the checkpoint
 * journal"): per input, per line not yet settled, the positions within the line of the
 * `$add`/`$append` records Mixpanel acknowledged. Looked up by this run's name of an input,
 * written by journal key (spellings of one file share its entry).
 */
export class AckedRecords {
  private readonly byName = new Map<string, Map<number, number[]>>();
  private readonly byKey = new Map<string, Map<number, number[]>>();

  /** `files`: the journal's entries by key; `keys`: this run's name of each input → its key. */
  constructor(files: Readonly<Record<string, { acked?: AckedJson }>>, keys: ReadonlyMap<string, string>) {
    for (const [key, entry] of Object.entries(files)) this.byKey.set(key, new Map(Object.entries(entry.acked ?? {}).map(([line, positions]) => [Number(line), positions])));
    for (const [file, key] of keys) this.byName.set(file, this.byKey.get(key)!);
  }

  has(file: string, line: number, position: number): boolean {
    return this.byName.get(file)?.get(line)?.includes(position) === true;
  }

  add(file: string, line: number, position: number): void {
    let lines = this.byName.get(file);
    if (lines === undefined) this.byName.set(file, (lines = new Map()));
    const positions = lines.get(line);
    if (positions === undefined) lines.set(line, [position]);
    else if (!positions.includes(position)) positions.push(position);
  }

  /** The line settled: a re-run skips it whole, so its records need no entry. */
  dropLine(file: string, line: number): void {
    this.byName.get(file)?.delete(line);
  }

  /** Put each file's entries into its journal entry (none: no `acked` field). */
  writeInto(files: Record<string, { acked?: AckedJson }>): void {
    for (const [key, lines] of this.byKey) {
      const entry = files[key];
      if (entry === undefined) continue;
      if (lines.size === 0) delete entry.acked;
      else entry.acked = Object.fromEntries(lines);
    }
  }
}

/** Whether a journal's `acked` field is line numbers → lists of record positions. */
export function ackedValid(acked: unknown): boolean {
  return isObject(acked) && Object.entries(acked).every(([line, positions]) => /^[1-9]\d*$/.test(line) && Array.isArray(positions) && positions.every((p) => Number.isInteger(p) && (p as number) >= 0));
}
