/**
 * One run per checkpoint (issue 15): `<checkpoint>.lock` names the run using the journal; a second
 * run is refused while that process lives, a stale lock (its process gone) is taken over. The
 * process is injected (pid, clock, which pids are alive).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointLock, type LockProcess } from '../../../src/run/checkpoint-lock.js';
import { CheckpointError } from '../../../src/errors.js';

const FIRST: LockProcess = { pid: 4101, now: () => Date.UTC(2026, 11, 7, 1, 2, 3), isAlive: (pid) => pid === 4101 };
const SECOND: LockProcess = { pid: 4202, now: () => Date.UTC(2026, 11, 7, 4, 5, 6), isAlive: (pid) => pid === 4101 || pid === 4202 };
const AFTER_A_CRASH: LockProcess = { pid: 4303, now: () => Date.UTC(2026, 11, 7, 7, 8, 9), isAlive: (pid) => pid === 4303 };

let root: string;
let count = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mpx-lock-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A checkpoint path not used before (the journal itself is never created here). */
function checkpointPath(): string {
  count += 1;
  return join(root, `${count}.checkpoint`);
}

function lockFile(checkpoint: string): unknown {
  return JSON.parse(readFileSync(`${checkpoint}.lock`, 'utf8'));
}

describe('a free checkpoint is locked by the run that opens it', () => {
  it('the lock file <checkpoint>.lock holds the pid and start time; release removes it', async () => {
    const checkpoint = checkpointPath();
    const lock = await CheckpointLock.take(checkpoint, FIRST);

    expect({ path: lock.path, notice: lock.notice, owner: lockFile(checkpoint) }).toEqual({
      path: `${checkpoint}.lock`,
      notice: null,
      owner: { pid: 4101, startedAt: '2026-12-07T01:02:03.000Z' },
    });
    lock.release();
    lock.release();
    expect(existsSync(`${checkpoint}.lock`)).toBe(false);
  });

  it('after a release the next run takes it at once', async () => {
    const checkpoint = checkpointPath();
    (await CheckpointLock.take(checkpoint, FIRST)).release();

    const next = await CheckpointLock.take(checkpoint, SECOND);

    expect({ notice: next.notice, owner: lockFile(checkpoint) }).toEqual({ notice: null, owner: { pid: 4202, startedAt: '2026-12-07T04:05:06.000Z' } });
  });
});

describe('a second run while the first one lives is refused', () => {
  it('CheckpointError (exit 2) naming the pid holding it, its start time and the lock file; the lock stays the first run\'s', async () => {
    const checkpoint = checkpointPath();
    await CheckpointLock.take(checkpoint, FIRST);

    const second = CheckpointLock.take(checkpoint, SECOND);

    await expect(second).rejects.toThrow(CheckpointError);
    await expect(second).rejects.toThrow(`checkpoint ${checkpoint} is in use by another run (pid 4101, started 2026-12-07T01:02:03.000Z; lock ${checkpoint}.lock)`);
    expect(lockFile(checkpoint)).toEqual({ pid: 4101, startedAt: '2026-12-07T01:02:03.000Z' });
  });

  it.each([
    { what: 'empty', text: '' },
    { what: 'not JSON', text: 'pid=12' },
    { what: 'no pid', text: '{"startedAt":"2026-12-07T00:00:00.000Z"}' },
  ])('a lock file that names no process ($what) is refused, saying to remove it if no run uses the checkpoint', async ({ text }) => {
    const checkpoint = checkpointPath();
    writeFileSync(`${checkpoint}.lock`, text);

    await expect(CheckpointLock.take(checkpoint, SECOND)).rejects.toThrow(`which names no process (a run taking it this moment?); if no other run uses this checkpoint, remove ${checkpoint}.lock`);
  });
});

describe('a stale lock (its process is gone) is taken over', () => {
  it('with a notice naming the dead pid; the lock then holds the new run', async () => {
    const checkpoint = checkpointPath();
    await CheckpointLock.take(checkpoint, FIRST);

    const taken = await CheckpointLock.take(checkpoint, AFTER_A_CRASH);

    expect(taken.notice).toBe(`took over the lock ${checkpoint}.lock of pid 4101 (started 2026-12-07T01:02:03.000Z), which is no longer running`);
    expect(lockFile(checkpoint)).toEqual({ pid: 4303, startedAt: '2026-12-07T07:08:09.000Z' });
  });

  it('a lock naming our own pid (a container reusing pid 1 after a kill) is stale, taken over, not refused', async () => {
    const checkpoint = checkpointPath();
    await CheckpointLock.take(checkpoint, { pid: 1, now: () => Date.UTC(2026, 11, 6, 23, 0, 0), isAlive: () => true });
    const sameContainerPid: LockProcess = { pid: 1, now: () => Date.UTC(2026, 11, 7, 23, 0, 0), isAlive: () => true };

    const taken = await CheckpointLock.take(checkpoint, sameContainerPid);

    expect(taken.notice).toBe(`took over the lock ${checkpoint}.lock of pid 1 (started 2026-12-06T23:00:00.000Z), which is no longer running`);
    expect(lockFile(checkpoint)).toEqual({ pid: 1, startedAt: '2026-12-07T23:00:00.000Z' });
  });

  it('the run whose lock was taken over leaves the new owner\'s lock in place when it releases', async () => {
    const checkpoint = checkpointPath();
    const old = await CheckpointLock.take(checkpoint, FIRST);
    await CheckpointLock.take(checkpoint, AFTER_A_CRASH);

    old.release();

    expect(lockFile(checkpoint)).toEqual({ pid: 4303, startedAt: '2026-12-07T07:08:09.000Z' });
  });
});

describe('runs taking over one stale lock at the same moment', () => {
  /** Eight runs started together after a crash: each sees the others alive, the crashed one not. */
  const contenders = Array.from({ length: 8 }, (_, i): LockProcess => ({ pid: 5001 + i, now: () => Date.UTC(2026, 11, 8, 2, 0, i), isAlive: (pid) => pid >= 5001 && pid <= 5008 }));

  it('exactly one of them takes it over; the others are refused and the lock names the one', async () => {
    for (let round = 0; round < 40; round += 1) {
      const checkpoint = checkpointPath();
      writeFileSync(`${checkpoint}.lock`, '{"pid":4101,"startedAt":"2026-12-08T01:00:00.000Z"}\n');

      const results = await Promise.allSettled(contenders.map((host) => CheckpointLock.take(checkpoint, host)));

      const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect({ round, winners: winners.length, refused: results.filter((r) => r.status === 'rejected' && r.reason instanceof CheckpointError).length }).toEqual({ round, winners: 1, refused: 7 });
      expect((lockFile(checkpoint) as { pid: number }).pid).toBe(5001 + contenders.findIndex((_, i) => results[i]!.status === 'fulfilled'));
      expect(existsSync(`${checkpoint}.lock.takeover`)).toBe(false);
    }
  });

  it('a takeover under way (its run alive) refuses the next run and leaves the stale lock alone', async () => {
    const checkpoint = checkpointPath();
    const stale = '{"pid":4101,"startedAt":"2026-12-08T01:00:00.000Z"}\n';
    writeFileSync(`${checkpoint}.lock`, stale);
    writeFileSync(`${checkpoint}.lock.takeover`, '{"pid":5001,"startedAt":"2026-12-08T02:00:00.000Z"}\n');

    await expect(CheckpointLock.take(checkpoint, contenders[1]!)).rejects.toThrow(`checkpoint ${checkpoint}: another run (pid 5001) is taking over its stale lock ${checkpoint}.lock this moment`);
    expect(readFileSync(`${checkpoint}.lock`, 'utf8')).toBe(stale);
  });

  it('a takeover file that names no process yet (a run creating it) refuses the next run, saying to remove it if no run uses the checkpoint', async () => {
    const checkpoint = checkpointPath();
    writeFileSync(`${checkpoint}.lock`, '{"pid":4101,"startedAt":"2026-12-08T01:00:00.000Z"}\n');
    writeFileSync(`${checkpoint}.lock.takeover`, '');

    await expect(CheckpointLock.take(checkpoint, contenders[3]!)).rejects.toThrow(`(${checkpoint}.lock.takeover names no process yet); if no other run uses this checkpoint, remove ${checkpoint}.lock.takeover`);
    expect(existsSync(`${checkpoint}.lock.takeover`)).toBe(true);
  });

  it('a takeover left by a run that died during it is removed, and the stale lock taken over', async () => {
    const checkpoint = checkpointPath();
    writeFileSync(`${checkpoint}.lock`, '{"pid":4101,"startedAt":"2026-12-08T01:00:00.000Z"}\n');
    writeFileSync(`${checkpoint}.lock.takeover`, '{"pid":4102,"startedAt":"2026-12-08T01:30:00.000Z"}\n');

    const taken = await CheckpointLock.take(checkpoint, contenders[2]!);

    expect(taken.notice).toBe(`took over the lock ${checkpoint}.lock of pid 4101 (started 2026-12-08T01:00:00.000Z), which is no longer running`);
    expect({ owner: lockFile(checkpoint), takeover: existsSync(`${checkpoint}.lock.takeover`) }).toEqual({ owner: { pid: 5003, startedAt: '2026-12-08T02:00:02.000Z' }, takeover: false });
  });
});

describe('a lock that cannot be created', () => {
  it('a checkpoint in a missing folder: CheckpointError naming the lock file and the code', async () => {
    const checkpoint = join(root, 'missing-folder', 'run.checkpoint');

    await expect(CheckpointLock.take(checkpoint, FIRST)).rejects.toThrow(`checkpoint ${checkpoint}: cannot create its lock file ${checkpoint}.lock (ENOENT)`);
  });
});
