// Received-day narrowing of a Segment S3 archive (README "Nightly backfill from S3"). Pure.
// Segment writes segment-logs/<source-id>/<received-day>/<file>.gz, where <received-day> is the UTC
// midnight of the day Segment received the messages, in epoch milliseconds.

import { DAY_MS } from '../../segment/time.js';

/** Received days to read, inclusive, as epoch ms of their midnights; null bounds are open. */
export interface DayWindow {
  readonly firstDay: number | null;
  readonly lastDay: number | null;
}

/**
 * The days that can hold messages timed in [fromMs, toMs): from the day of --from to the day of
 * --to plus `lateDays` (late mobile and offline events arrive after their timestamp). Null when
 * there is no --from/--to: every day is read.
 */
export function receivedDayWindow(fromMs: number | null, toMs: number | null, lateDays: number): DayWindow | null {
  if (fromMs === null && toMs === null) return null;
  return {
    firstDay: fromMs === null ? null : dayOf(fromMs),
    lastDay: toMs === null ? null : dayOf(toMs) + lateDays * DAY_MS,
  };
}

/** The day a folder name (`1733529600000/`) stands for, or null when it is not a received-day folder. */
export function dayOfFolder(name: string): number | null {
  const match = /^(\d{10,15})\/$/.exec(name);
  if (match === null) return null;
  const day = Number(match[1]);
  return day % DAY_MS === 0 ? day : null;
}

export function dayInWindow(day: number, window: DayWindow): boolean {
  return (window.firstDay === null || day >= window.firstDay) && (window.lastDay === null || day <= window.lastDay);
}

/** `2026-12-06`, the way a report names a day. */
export function dayName(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
