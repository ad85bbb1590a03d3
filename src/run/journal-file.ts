import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CheckpointError } from '../errors.js';
import { isObject } from '../lib/json.js';
import { ackedValid, type AckedJson } from './acked-records.js';

// The resume journal as stored (README "Resume and checkpoint"): its shape, and reading one back,
// old journals included.

/** Per input file: its identity (size + hash of its head) and the settled lines. */
export interface FileJournal {
  size: number;
  head: string;
  /** A local file's last 64 KiB, hashed (to recognise lines appended since). */
  tail?: string;
  /** Every line up to here is settled. */
  through: number;
  /** Settled lines above `through`. */
  extra: number[];
  /**
   * Lines not yet settled with `$add`/`$append` records Mixpanel acknowledged: line → the
   * records' positions within the line. Absent when there are none (and in older journals).
   */
  acked?: AckedJson;
}

export interface Journal {
  version: 1;
  scope: string;
  scopeDescription: string;
  /** Keyed by the input's absolute path (an `s3://` URL as it is). */
  files: Record<string, FileJournal>;
}

export async function readJournal(path: string): Promise<Journal | null> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new CheckpointError(`checkpoint ${path}: cannot read it (${error.code ?? error.message})`);
  });
  if (text === null) return null;
  try {
    const journal: unknown = JSON.parse(text);
    const problem = journalProblem(journal);
    if (problem !== null) throw new Error(problem);
    return withResolvedKeys(journal as Journal);
  } catch (error) {
    throw new CheckpointError(`checkpoint ${path} is not a mpx-replay checkpoint (${(error as Error).message})`);
  }
}

/** What is wrong with a parsed journal's structure, or null when it is a version 1 journal. */
function journalProblem(value: unknown): string | null {
  if (!isObject(value) || value.version !== 1) return 'not a version 1 journal';
  if (typeof value.scope !== 'string' || typeof value.scopeDescription !== 'string') return 'no scope';
  if (!isObject(value.files)) return '"files" is not an object';
  for (const [file, entry] of Object.entries(value.files)) {
    const ok =
      isObject(entry) &&
      Number.isInteger(entry.size) &&
      typeof entry.head === 'string' &&
      Number.isInteger(entry.through) &&
      Array.isArray(entry.extra) &&
      entry.extra.every((line) => Number.isInteger(line)) &&
      (entry.acked === undefined || ackedValid(entry.acked));
    if (!ok) return `the entry of ${JSON.stringify(file)} is not {size, head, through, extra, acked?}`;
  }
  return null;
}

/**
 * Journals written before keys were resolved name files as typed: a relative key is taken
 * relative to this run's working directory (docs/architecture.md). Of two keys naming one file,
 * the entry with more lines settled is kept.
 */
function withResolvedKeys(journal: Journal): Journal {
  const files = Object.create(null) as Journal['files'];
  for (const [file, entry] of Object.entries(journal.files)) {
    const key = file.includes('://') ? file : resolve(file);
    const other = files[key];
    if (other === undefined) files[key] = entry;
    else if (other.size === entry.size && other.head === entry.head) files[key] = mergedEntry(other, entry);
    else if (other.through + other.extra.length < entry.through + entry.extra.length) files[key] = entry;
  }
  return { ...journal, files };
}

/** Two old entries of one file (the same identity): every line either settled, every acknowledgement either holds. */
function mergedEntry(a: FileJournal, b: FileJournal): FileJournal {
  const through = Math.max(a.through, b.through);
  const extra = [...new Set([...a.extra, ...b.extra])].filter((line) => line > through).sort((x, y) => x - y);
  const acked: AckedJson = Object.create(null) as AckedJson;
  for (const [line, positions] of [...Object.entries(a.acked ?? {}), ...Object.entries(b.acked ?? {})]) {
    if (Number(line) > through && !extra.includes(Number(line))) acked[line] = [...new Set([...(acked[line] ?? []), ...positions])].sort((x, y) => x - y);
  }
  return { size: a.size, head: a.head, through, extra, ...(Object.keys(acked).length > 0 && { acked }) };
}
