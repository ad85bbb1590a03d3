import type { Clock } from '../../src/lib/clock.js';

export type FakeClock = Clock & {
  /** Move time on by `ms`: the sleeps due by then complete, in order, and pending callbacks run. */
  advance(ms: number): Promise<void>;
  /** Every sleep asked for, in ms, in order. */
  readonly slept: number[];
  /** Sleeps not yet complete. */
  pending(): number;
};

/** A clock whose sleeps complete only when the test advances time. */
export function fakeClock(startMs = 0): FakeClock {
  let now = startMs;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      return new Promise<void>((resolve) => timers.push({ at: now + ms, wake: resolve }));
    },
    pending: () => timers.length,
    async advance(ms) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.wake();
      }
      await settle();
    },
  };
}

/** Let promise callbacks and immediates run (a few rounds: gzip and p-limit hop through both). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Let callbacks run until `condition` holds (gzip runs on libuv's pool, so rounds vary); fails after `rounds`. */
export async function until(condition: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error(`condition not reached after ${rounds} rounds`);
}
