import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { CheckpointError } from '../errors.js';
import { isObject } from '../lib/json.js';

/** The run holding a lock, as its lock file records it. */
interface LockOwner {
  readonly pid: number;
  readonly startedAt: string;
}

/** What a lock needs of the process (cli/ hands in the real one). */
export interface LockProcess {
  readonly pid: number;
  readonly now: () => number;
  /** Whether a process with this pid is running. */
  readonly isAlive: (pid: number) => boolean;
}

/**
 * One run per checkpoint (README "Resume and checkpoint"): `<checkpoint>.lock`, created
 * exclusively, names the run using the journal. A second run is refused while that process
 * lives; a lock whose process is gone (a SIGKILL, a crash) is taken over.
 */
export class CheckpointLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly owner: LockOwner,
    /** Set when a stale lock was taken over, for the user. */
    readonly notice: string | null,
  ) {}

  static async take(checkpoint: string, host: LockProcess): Promise<CheckpointLock> {
    const path = `${checkpoint}.lock`;
    const owner: LockOwner = { pid: host.pid, startedAt: new Date(host.now()).toISOString() };
    if (await create(checkpoint, path, owner)) return new CheckpointLock(path, owner, null);
    const held = await readFile(path, 'utf8').catch(() => '');
    const holder = parseOwner(held);
    if (holder === null) {
      throw new CheckpointError(`checkpoint ${checkpoint} is locked by ${path}, which names no process (a run taking it this moment?); if no other run uses this checkpoint, remove ${path}`);
    }
    // Our own pid in a lock we have not taken is a run before this one (containers reuse pids).
    if (holder.pid !== host.pid && host.isAlive(holder.pid)) {
      throw new CheckpointError(`checkpoint ${checkpoint} is in use by another run (pid ${holder.pid}, started ${holder.startedAt}; lock ${path}): two runs on one checkpoint would both send its lines. Wait for that run to end, or use another --checkpoint`);
    }
    await takeOver(checkpoint, path, held, owner, host);
    return new CheckpointLock(path, owner, `took over the lock ${path} of pid ${holder.pid} (started ${holder.startedAt}), which is no longer running`);
  }

  /** Remove the lock if it is still this run's. Synchronous, so it can run as the process exits. */
  release(): void {
    if (this.released) return;
    this.released = true;
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return;
    }
    const holder = parseOwner(text);
    if (holder?.pid !== this.owner.pid || holder.startedAt !== this.owner.startedAt) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

/**
 * Replace the stale lock `held` by ours. Runs taking over at the same moment take turns through
 * `<lock>.takeover` (created exclusively): between reading the stale lock again and creating ours,
 * no other run can remove the lock, so one run wins and the others are refused. A takeover file
 * whose run is gone (killed during its takeover) is removed first.
 */
async function takeOver(checkpoint: string, path: string, held: string, owner: LockOwner, host: LockProcess): Promise<void> {
  const turn = `${path}.takeover`;
  if (!(await create(checkpoint, turn, owner))) {
    const text = await readFile(turn, 'utf8').catch(() => '');
    const taker = parseOwner(text);
    if (taker === null) {
      throw new CheckpointError(`checkpoint ${checkpoint}: its stale lock ${path} is being taken over (${turn} names no process yet); if no other run uses this checkpoint, remove ${turn}`);
    }
    if (taker.pid !== host.pid && host.isAlive(taker.pid)) {
      throw new CheckpointError(`checkpoint ${checkpoint}: another run (pid ${taker.pid}) is taking over its stale lock ${path} this moment`);
    }
    if ((await readFile(turn, 'utf8').catch(() => '')) === text) await unlink(turn).catch(() => undefined);
    if (!(await create(checkpoint, turn, owner))) throw new CheckpointError(`checkpoint ${checkpoint}: another run is taking over its stale lock ${path} this moment`);
  }
  try {
    // Removed only if still the stale one: a run that took it over just before us replaced it.
    if ((await readFile(path, 'utf8').catch(() => '')) === held) await unlink(path).catch(() => undefined);
    if (!(await create(checkpoint, path, owner))) throw new CheckpointError(`checkpoint ${checkpoint}: another run took its lock ${path} at the same moment`);
  } finally {
    if ((await readFile(turn, 'utf8').catch(() => '')) === ownerText(owner)) await unlink(turn).catch(() => undefined);
  }
}

/** Create the lock file holding `owner`; false when it exists already. */
async function create(checkpoint: string, path: string, owner: LockOwner): Promise<boolean> {
  try {
    await writeFile(path, ownerText(owner), { flag: 'wx' });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new CheckpointError(`checkpoint ${checkpoint}: cannot create its lock file ${path} (${code ?? (error as Error).message})`);
  }
}

function ownerText(owner: LockOwner): string {
  return `${JSON.stringify(owner)}\n`;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) && Number.isInteger(value.pid) && typeof value.startedAt === 'string' ? { pid: value.pid as number, startedAt: value.startedAt } : null;
  } catch {
    return null;
  }
}
