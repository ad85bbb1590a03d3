import { createHash } from 'node:crypto';
import { open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { CheckpointError } from '../errors.js';
import { isObject } from '../lib/json.js';

/** What must match for a checkpoint to be reused: settings, identity mode and filters, hashed. */
export interface CheckpointScope {
  readonly fingerprint: string;
  readonly describe: string;
}

/** Per input file: its identity (size + hash of its head) and the settled lines. */
interface FileJournal {
  size: number;
  head: string;
  /** Every line up to here is settled. */
  through: number;
  /** Settled lines above `through`. */
  extra: number[];
  /**
   * Lines not yet settled with `$add`/`$append` records Mixpanel acknowledged: line → the
   * records' positions within the line. Absent when there are none (and in older journals).
   */
  acked?: Record<string, number[]>;
}

interface Journal {
  version: 1;
  scope: string;
  scopeDescription: string;
  files: Record<string, FileJournal>;
}

const HEAD_BYTES = 64 * 1024;

/** The identity of an input that is not a local file (`head`: e.g. its ETag), or null for a local file. */
export type Identify = (file: string) => { size: number; head: string } | null;

/**
 * The resume journal (README "Resume and checkpoint"): settled lines per input file, written atomically (write +
 * rename) after every change, one write at a time, so a crash loses at most the records in flight.
 */
export class Checkpoint {
  private readonly settled = new Map<string, { through: number; extra: Set<number> }>();
  /** Per file, per unsettled line: the positions of its acknowledged non-idempotent records. */
  private readonly acked = new Map<string, Map<number, number[]>>();
  private writing: Promise<void> | null = null;
  private dirty = false;

  private constructor(
    private readonly path: string,
    private readonly journal: Journal,
  ) {
    for (const [file, entry] of Object.entries(journal.files)) this.settled.set(file, { through: entry.through, extra: new Set(entry.extra) });
    for (const [file, entry] of Object.entries(journal.files)) this.acked.set(file, new Map(Object.entries(entry.acked ?? {}).map(([line, positions]) => [Number(line), positions])));
  }

  /** What the journal noticed on opening (an S3 object rewritten since it was written), for the user. */
  readonly notices: string[] = [];

  /**
   * Open or create the journal for these inputs; refuse one from another scope or changed files
   * unless forced. `identify` names inputs that are not local files (`s3://` objects: size and
   * ETag); such an input that changed is read again from its start, with a notice.
   */
  static async open(path: string, scope: CheckpointScope, files: readonly string[], force: boolean, identify?: Identify): Promise<Checkpoint> {
    const previous = await readJournal(path);
    const journal: Journal = { version: 1, scope: scope.fingerprint, scopeDescription: scope.describe, files: {} };
    if (previous !== null && previous.scope !== scope.fingerprint && !force) {
      throw new CheckpointError(`checkpoint ${path} was written by a run with other settings (${previous.scopeDescription}); this run: ${scope.describe}. Use --force to reuse it anyway, or another --checkpoint file`);
    }
    const notices: string[] = [];
    for (const file of files) {
      if (file === '-') throw new CheckpointError('--checkpoint cannot be used with stdin (-): its lines cannot be matched on a re-run');
      const remote = identify?.(file) ?? null;
      if (remote === null && !(await stat(file)).isFile()) throw new CheckpointError(`--checkpoint cannot be used with ${file}: not a regular file (a pipe), so its lines cannot be matched on a re-run`);
      const identity = remote ?? (await fileIdentity(file));
      const before = previous?.files[file];
      const changed = before !== undefined && (before.size !== identity.size || before.head !== identity.head);
      if (changed && remote !== null) {
        // Segment's own replays rewrite objects: the new version is read whole.
        notices.push(`${file} was rewritten since checkpoint ${path} was written (${before.head}, ${before.size} bytes → ${identity.head}, ${identity.size} bytes): reading it again from the start`);
        journal.files[file] = { ...identity, through: 0, extra: [] };
      } else if (changed) {
        if (!force) throw new CheckpointError(`input ${file} changed since checkpoint ${path} was written (size or content differs); use --force to start that file over`);
        journal.files[file] = { ...identity, through: 0, extra: [] };
      } else {
        journal.files[file] = before ?? { ...identity, through: 0, extra: [] };
      }
    }
    const checkpoint = new Checkpoint(path, journal);
    checkpoint.notices.push(...notices);
    // Written at once: a path that cannot be written is refused before anything is sent.
    checkpoint.dirty = true;
    await checkpoint.flush();
    return checkpoint;
  }

  /** Whether the line was settled by an earlier run. */
  isSettled(file: string, line: number): boolean {
    const entry = this.settled.get(file);
    return entry !== undefined && (line <= entry.through || entry.extra.has(line));
  }

  /** Record a settled line (delivered, skipped, rejected or blank) and schedule a write (not awaited). */
  settle(file: string, line: number): void {
    let entry = this.settled.get(file);
    if (entry === undefined) this.settled.set(file, (entry = { through: 0, extra: new Set() }));
    if (line === entry.through + 1) {
      entry.through = line;
      while (entry.extra.delete(entry.through + 1)) entry.through += 1;
    } else if (line > entry.through) {
      entry.extra.add(line);
    }
    // A settled line is skipped whole by a re-run: its acknowledged records need no entry.
    this.acked.get(file)?.delete(line);
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  /** Whether an earlier run had Mixpanel acknowledge the record at `position` (0-based) of this unsettled line. */
  isAcknowledged(file: string, line: number, position: number): boolean {
    return this.acked.get(file)?.get(line)?.includes(position) === true;
  }

  /**
   * Mixpanel acknowledged a non-idempotent record (`$add`/`$append`) of a line not yet settled:
   * a re-run sends the line's other records, not this one. Written at once, like `settle`.
   */
  acknowledge(file: string, line: number, position: number): void {
    if (this.isSettled(file, line)) return;
    let lines = this.acked.get(file);
    if (lines === undefined) this.acked.set(file, (lines = new Map()));
    const positions = lines.get(line);
    if (positions === undefined) lines.set(line, [position]);
    else if (!positions.includes(position)) positions.push(position);
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  /** Wait until everything settled so far is on disk; fails if a write failed. */
  async flush(): Promise<void> {
    if (this.dirty) this.writing ??= this.writeLoop();
    while (this.writing !== null) await this.writing;
    if (this.failure !== null) throw new CheckpointError(`checkpoint ${this.path} could not be written (${(this.failure as NodeJS.ErrnoException).code ?? this.failure.message}); a re-run cannot resume from it`);
  }

  /**
   * Resolves once every change made so far is on disk (or a write failed: `flush` reports it).
   * Unlike `flush`, it waits for at most the write under way and the next, however busy the journal.
   */
  written(): Promise<void> {
    if (this.failure !== null || (!this.dirty && this.writing === null)) return Promise.resolve();
    return new Promise((resolve) => (this.dirty ? this.afterNextWrite : this.afterThisWrite).push(resolve));
  }

  /** Waiting for the write under way, and for the next one (changes made since it started). */
  private readonly afterThisWrite: Array<() => void> = [];
  private readonly afterNextWrite: Array<() => void> = [];

  /** The first write failure: the run goes on (nothing is lost but resumability); flush reports it. */
  private failure: Error | null = null;

  private async writeLoop(): Promise<void> {
    try {
      await this.writeWhileDirty();
    } catch (error) {
      this.failure ??= error as Error;
    }
    this.writing = null;
    for (const resolve of [...this.afterThisWrite.splice(0), ...this.afterNextWrite.splice(0)]) resolve();
  }

  private async writeWhileDirty(): Promise<void> {
    while (this.dirty && this.failure === null) {
      this.dirty = false;
      this.afterThisWrite.push(...this.afterNextWrite.splice(0));
      for (const [file, entry] of this.settled) {
        const journalEntry = this.journal.files[file];
        if (journalEntry === undefined) continue;
        journalEntry.through = entry.through;
        journalEntry.extra = [...entry.extra].sort((a, b) => a - b);
      }
      for (const [file, lines] of this.acked) {
        const journalEntry = this.journal.files[file];
        if (journalEntry === undefined) continue;
        if (lines.size === 0) delete journalEntry.acked;
        else journalEntry.acked = Object.fromEntries(lines);
      }
      const temporary = `${this.path}.tmp`;
      await writeFile(temporary, JSON.stringify(this.journal));
      const handle = await open(temporary, 'r');
      await handle.sync();
      await handle.close();
      await rename(temporary, this.path);
      for (const resolve of this.afterThisWrite.splice(0)) resolve();
    }
  }
}

/**
 * Fingerprint of a run's scope: what decides how lines are mapped or which are skipped
 * (settings, identity mode, --types/--from/--to, --skip-device-mode, --preset). Credentials are
 * not part of it, nor is --dedupe-window (a memory bound; docs/architecture.md, "Deduplication").
 */
export function checkpointScope(
  settings: object,
  identity: string,
  filter: { types: readonly string[] | null; fromMs: number | null; toMs: number | null; skipDeviceMode?: boolean },
  preset: 'classic' | 'actions' = 'classic',
): CheckpointScope {
  const settingsHash = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
  // Named only when set, so journals written before the flag (or the preset) existed keep their scope.
  const deviceMode = filter.skipDeviceMode === true ? ', device mode skipped' : '';
  const presetPart = preset === 'actions' ? ', preset actions' : '';
  const describe = `identity ${identity}, settings ${settingsHash}, types ${filter.types?.join(',') ?? 'all'}, from ${filter.fromMs ?? '-'}, to ${filter.toMs ?? '-'}${deviceMode}${presetPart}`;
  return { fingerprint: createHash('sha256').update(describe).digest('hex').slice(0, 16), describe };
}

async function readJournal(path: string): Promise<Journal | null> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new CheckpointError(`checkpoint ${path}: cannot read it (${error.code ?? error.message})`);
  });
  if (text === null) return null;
  try {
    const journal: unknown = JSON.parse(text);
    const problem = journalProblem(journal);
    if (problem !== null) throw new Error(problem);
    return journal as Journal;
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

/** `acked`: line numbers → lists of record positions. */
function ackedValid(acked: unknown): boolean {
  return isObject(acked) && Object.entries(acked).every(([line, positions]) => /^[1-9]\d*$/.test(line) && Array.isArray(positions) && positions.every((p) => Number.isInteger(p) && (p as number) >= 0));
}

async function fileIdentity(file: string): Promise<{ size: number; head: string }> {
  const { size } = await stat(file);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(buffer, 0, buffer.length, 0);
    return { size, head: createHash('sha256').update(buffer).digest('hex').slice(0, 32) };
  } finally {
    await handle.close();
  }
}
