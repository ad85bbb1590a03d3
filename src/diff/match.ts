import type { Entry, Side } from './types.js';

/** Pending records (both sides together) before the oldest are spilled to disk. */
export const MAX_PENDING_ENTRIES = 100_000;
/** Pending line text (UTF-16 code units, both sides) before the oldest are spilled to disk. */
export const MAX_PENDING_CHARS = 32 * 1024 * 1024;

export interface MatchLimits {
  readonly maxEntries: number;
  readonly maxChars: number;
}

/**
 * The in-memory half of the matching: records waiting for their partner from the other file,
 * by match key. No I/O; the caller decides what to do with what `evictOldest` hands back.
 * A key may be pending more than once on one side (a duplicated messageId in the archive);
 * duplicates pair first-in, first-out.
 */
export class Matcher {
  private readonly pending: Record<Side, Map<string, Entry[]>> = { before: new Map(), after: new Map() };
  private entries = 0;
  private chars = 0;

  constructor(private readonly limits: MatchLimits = { maxEntries: MAX_PENDING_ENTRIES, maxChars: MAX_PENDING_CHARS }) {}

  /** The other side's pending partner (removed), or null after holding `entry` as pending. */
  offer(side: Side, entry: Entry): Entry | null {
    const partner = this.take(other(side), entry.key);
    if (partner !== null) return partner;
    const map = this.pending[side];
    const list = map.get(entry.key);
    if (list === undefined) map.set(entry.key, [entry]);
    else list.push(entry);
    this.entries += 1;
    this.chars += entry.text.length;
    return null;
  }

  get overLimit(): boolean {
    return this.entries > this.limits.maxEntries || this.chars > this.limits.maxChars;
  }

  get size(): number {
    return this.entries;
  }

  /** Remove and return the oldest half of each side (the least likely to be matched soon). */
  evictOldest(): Record<Side, Entry[]> {
    return { before: this.evict('before', Math.ceil(this.pending.before.size / 2)), after: this.evict('after', Math.ceil(this.pending.after.size / 2)) };
  }

  /** Everything still pending, oldest first; the matcher is empty afterwards. */
  drain(): Record<Side, Entry[]> {
    return { before: this.evict('before', Infinity), after: this.evict('after', Infinity) };
  }

  // --- internal ---

  private take(side: Side, key: string): Entry | null {
    const map = this.pending[side];
    const list = map.get(key);
    if (list === undefined) return null;
    const entry = list.shift() as Entry;
    if (list.length === 0) map.delete(key);
    this.entries -= 1;
    this.chars -= entry.text.length;
    return entry;
  }

  private evict(side: Side, keys: number): Entry[] {
    const map = this.pending[side];
    const out: Entry[] = [];
    let left = keys;
    for (const [key, list] of map) {
      if (left <= 0) break;
      left -= 1;
      map.delete(key);
      for (const entry of list) {
        out.push(entry);
        this.entries -= 1;
        this.chars -= entry.text.length;
      }
    }
    return out;
  }
}

export function other(side: Side): Side {
  return side === 'before' ? 'after' : 'before';
}

/**
 * Which file to read next: the one whose next record comes from the earlier input position
 * (file in order of first appearance, then line), so a record and its partner are read close
 * together even when one file has records the other lacks. Ties read `before` first.
 */
export class LockstepOrder {
  private readonly ranks = new Map<string, number>();

  pick(before: Entry | null, after: Entry | null): Side | null {
    if (before === null) return after === null ? null : 'after';
    if (after === null) return 'before';
    const rb = this.rank(before.file);
    const ra = this.rank(after.file);
    if (rb !== ra) return rb < ra ? 'before' : 'after';
    return before.line <= after.line ? 'before' : 'after';
  }

  private rank(file: string): number {
    let rank = this.ranks.get(file);
    if (rank === undefined) {
      rank = this.ranks.size;
      this.ranks.set(file, rank);
    }
    return rank;
  }
}
