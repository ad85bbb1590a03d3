import { createHash } from 'node:crypto';
import { open, rename, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CheckpointError } from '../errors.js';
import { AckedRecords } from './acked-records.js';
import { readJournal, type Journal } from './journal-file.js';
import { fileIdentity, howChanged, onlyAppended } from './input-identity.js';

/** What must match for a checkpoint to be reused: settings, identity mode and filters, hashed. */
export interface CheckpointScope {
  readonly fingerprint: string;
  readonly describe: string;
}

/** The identity of an input that is not a local file (`head`: e.g. its ETag), or null for a local file. */
export type Identify = (file: string) => { size: number; head: string } | null;

/**
 * A write nobody waits for (lines settled) follows the last one after at least this long; one that
 * `written()` or `flush()` waits for starts at once. Back to back, a 1M import with --checkpoint
 * wrote its whole journal 1,399 times (200 MB of JSON, each fsynced; 2.1 s of the sending thread's
 * CPU to prepare them), most of them waited for by nobody.
 */
const UNAWAITED_WRITE_INTERVAL_MS = 200;

/**
 * The resume journal (README "Resume and checkpoint"): settled lines per input file, written
 * atomically (write + rename), one write at a time. Acknowledged `$add`/`$append` records are on
 * disk before their connection takes another request; lines settled in the last interval may be
 * read again after a crash (their events deduplicate by `$insert_id`).
 */
export class Checkpoint {
  /** Per input as this run names it; spellings of one file share its entry. */
  private readonly settled = new Map<string, { through: number; extra: Set<number> }>();
  /** The same entries by journal key. */
  private readonly byKey = new Map<string, { through: number; extra: Set<number> }>();
  /** Acknowledged `$add`/`$append` records of lines not yet settled. */
  private readonly acked: AckedRecords;
  private writing: Promise<void> | null = null;
  private dirty = false;
  /** Set by `flush`: write at once until everything is on disk. */
  private hurry = false;
  /** Ends the pause between two writes early: a caller waits for the next one. */
  private wake: (() => void) | null = null;

  private constructor(
    private readonly path: string,
    private readonly journal: Journal,
    keys: ReadonlyMap<string, string>,
  ) {
    for (const [key, entry] of Object.entries(journal.files)) this.byKey.set(key, { through: entry.through, extra: new Set(entry.extra) });
    for (const [file, key] of keys) this.settled.set(file, this.byKey.get(key)!);
    this.acked = new AckedRecords(journal.files, keys);
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
    const journal: Journal = { version: 1, scope: scope.fingerprint, scopeDescription: scope.describe, files: Object.create(null) as Journal['files'] };
    if (previous !== null && previous.scope !== scope.fingerprint && !force) {
      throw new CheckpointError(`checkpoint ${path} was written by a run with other settings (${previous.scopeDescription}); this run: ${scope.describe}. Use --force to reuse it anyway, or another --checkpoint file`);
    }
    const notices: string[] = [];
    /** This run's name of each input → its journal key. */
    const keys = new Map<string, string>();
    for (const file of files) {
      if (file === '-') throw new CheckpointError('--checkpoint cannot be used with stdin (-): its lines cannot be matched on a re-run');
      const remote = identify?.(file) ?? null;
      if (remote === null && !(await stat(file)).isFile()) throw new CheckpointError(`--checkpoint cannot be used with ${file}: not a regular file (a pipe), so its lines cannot be matched on a re-run`);
      const identity = remote ?? (await fileIdentity(file));
      const key = remote === null ? resolve(file) : file;
      keys.set(file, key);
      const before = previous?.files[key];
      const changed = before !== undefined && (before.size !== identity.size || before.head !== identity.head);
      if (changed && remote !== null) {
        // Segment's own replays rewrite objects: the new version is read whole.
        notices.push(`${file} was rewritten since checkpoint ${path} was written (${before.head}, ${before.size} bytes → ${identity.head}, ${identity.size} bytes): reading it again from the start`);
        journal.files[key] = { ...identity, through: 0, extra: [] };
      } else if (changed && remote === null && (await onlyAppended(file, before, identity.size))) {
        // An input that only grew (a log appended to, or one that grew during the last run): its settled lines stand.
        notices.push(`${file} grew since checkpoint ${path} was written (${before.size} → ${identity.size} bytes, lines appended): resuming after the lines it had settled`);
        journal.files[key] = { ...before, ...identity };
      } else if (changed) {
        if (!force) throw new CheckpointError(`input ${file} changed since checkpoint ${path} was written ${await howChanged(file, before, identity.size)}`);
        journal.files[key] = { ...identity, through: 0, extra: [] };
      } else {
        journal.files[key] = before ?? { ...identity, through: 0, extra: [] };
      }
    }
    const dropped = Object.keys(previous?.files ?? {}).filter((key) => !(key in journal.files));
    if (dropped.length > 0 && !force) {
      throw new CheckpointError(
        `checkpoint ${path} holds inputs this run does not name: ${dropped.join(', ')} (this run: ${[...new Set(keys.values())].join(', ')}); going on would drop their journal. Give the same inputs, use another --checkpoint, or --force to drop them`,
      );
    }
    const checkpoint = new Checkpoint(path, journal, keys);
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
    this.acked.dropLine(file, line);
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  /** Whether an earlier run had Mixpanel acknowledge the record at `position` (0-based) of this unsettled line. */
  isAcknowledged(file: string, line: number, position: number): boolean {
    return this.acked.has(file, line, position);
  }

  /**
   * Mixpanel acknowledged a non-idempotent record (`$add`/`$append`) of a line not yet settled:
   * a re-run sends the line's other records, not this one. On disk once `written()` resolves.
   */
  acknowledge(file: string, line: number, position: number): void {
    if (this.isSettled(file, line)) return;
    this.acked.add(file, line, position);
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  /** Wait until everything settled so far is on disk; fails if a write failed. */
  async flush(): Promise<void> {
    if (this.dirty) this.writing ??= this.writeLoop();
    this.hurry = true;
    this.wake?.();
    while (this.writing !== null) await this.writing;
    this.hurry = false;
    if (this.failure !== null) throw new CheckpointError(this.failure);
  }

  /**
   * Resolves once every change made so far is on disk (or a write failed: `onWriteFailure` and
   * `flush` report it). Unlike `flush`, it waits for at most the write under way and the next,
   * however busy the journal.
   */
  written(): Promise<void> {
    if (this.failure !== null || (!this.dirty && this.writing === null)) return Promise.resolve();
    const done = new Promise<void>((resolve) => (this.dirty ? this.afterNextWrite : this.afterThisWrite).push(resolve));
    if (this.dirty) this.wake?.();
    return done;
  }

  /** Waiting for the write under way, and for the next one (changes made since it started). */
  private readonly afterThisWrite: Array<() => void> = [];
  private readonly afterNextWrite: Array<() => void> = [];

  /**
   * Be told of the first write that fails, as it fails (at once if one has already): what is
   * settled from then on cannot be recorded, so the run stops sending (docs/architecture.md).
   */
  onWriteFailure(listener: (message: string) => void): void {
    this.failed = listener;
    if (this.failure !== null) listener(this.failure);
  }

  /** The first write failure, in words; nothing is written after it. */
  private failure: string | null = null;
  private failed: ((message: string) => void) | null = null;

  private async writeLoop(): Promise<void> {
    try {
      await this.writeWhileDirty();
    } catch (error) {
      if (this.failure === null) {
        this.failure = `checkpoint ${this.path} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the lines settled since its last write are not in it, and a re-run sends them again`;
        this.failed?.(this.failure);
      }
    }
    // A change made after the loop's last look (a caller resuming between it and here) starts
    // another loop: otherwise it waited for the next change, and its waiters were told too soon.
    if (this.dirty && this.failure === null) {
      this.writing = this.writeLoop();
      return;
    }
    this.writing = null;
    for (const resolve of [...this.afterThisWrite.splice(0), ...this.afterNextWrite.splice(0)]) resolve();
  }

  private async writeWhileDirty(): Promise<void> {
    while (this.dirty && this.failure === null) {
      await this.writeOnce();
      if (this.dirty && !this.hurry && this.afterNextWrite.length === 0) await this.pause();
    }
  }

  /** Resolves after the interval, or sooner when `wake` is called. */
  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, UNAWAITED_WRITE_INTERVAL_MS);
      this.wake = done;
    });
  }

  private async writeOnce(): Promise<void> {
    this.dirty = false;
    this.afterThisWrite.push(...this.afterNextWrite.splice(0));
    for (const [key, entry] of this.byKey) {
      const journalEntry = this.journal.files[key];
      if (journalEntry === undefined) continue;
      journalEntry.through = entry.through;
      journalEntry.extra = [...entry.extra].sort((a, b) => a - b);
    }
    this.acked.writeInto(this.journal.files);
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, JSON.stringify(this.journal));
    const handle = await open(temporary, 'r');
    await handle.sync();
    await handle.close();
    await rename(temporary, this.path);
    for (const resolve of this.afterThisWrite.splice(0)) resolve();
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
  actionsAlias = false,
): CheckpointScope {
  const settingsHash = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
  // Named only when set, so journals written before the flag (or the preset) existed keep their scope.
  const deviceMode = filter.skipDeviceMode === true ? ', device mode skipped' : '';
  const presetPart = preset === 'actions' ? `, preset actions${actionsAlias ? ' with alias' : ''}` : '';
  const describe = `identity ${identity}, settings ${settingsHash}, types ${filter.types?.join(',') ?? 'all'}, from ${filter.fromMs ?? '-'}, to ${filter.toMs ?? '-'}${deviceMode}${presetPart}`;
  return { fingerprint: createHash('sha256').update(describe).digest('hex').slice(0, 16), describe };
}
