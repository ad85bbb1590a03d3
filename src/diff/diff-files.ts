/**
 * `mpx-replay diff`: compare two dry-run outputs record by record (README "Dry run and diff").
 *
 * Memory strategy: bounded, spilling to disk. Both files are read in lockstep, always advancing
 * the one whose next record comes from the earlier input position (file, line), so for two dry
 * runs of the same archive a record meets its partner almost at once (byte-identical next lines
 * are paired straight away and parsed once). Records still waiting for a partner are kept in a
 * pending map per side, keyed by (endpoint, messageId or file:line, position within the
 * message). When the pending maps exceed MAX_PENDING_ENTRIES (100,000 records) or
 * MAX_PENDING_CHARS (32 M characters of line text), the oldest half of each side is spilled to
 * a temporary directory as 64 hash partitions by key; at the end everything still pending joins
 * the spill and the partitions are joined one pair at a time (a partitioned hash join). Memory
 * thus stays bounded by the pending limit plus one partition (1/64 of the spilled `before`
 * records), whatever the disorder between the files; disorder costs only disk and time. Only
 * the first MAX_LISTED records of each list are kept for output; all counts are exact.
 *
 * Position within a message is counted over consecutive records with the same file:line (the
 * dry run writes a message's records together), so it needs no memory beyond one message.
 */
import type { Readable } from 'node:stream';
import { LockstepOrder, Matcher, type MatchLimits } from './match.js';
import { EntryParser, readRawLines, type RawLine } from './read-records.js';
import { SpillStore } from './spill.js';
import { DiffTally, MAX_LISTED, type DiffResult } from './tally.js';
import type { Entry, Side } from './types.js';

export interface DiffOptions {
  readonly stdin?: Readable;
  /** @default { maxEntries: MAX_PENDING_ENTRIES, maxChars: MAX_PENDING_CHARS } */
  readonly limits?: MatchLimits;
  /** @default MAX_LISTED */
  readonly maxListed?: number;
}

export async function diffFiles(beforePath: string, afterPath: string, options: DiffOptions = {}): Promise<DiffResult> {
  const cursors: Record<Side, Cursor> = {
    before: new Cursor(readRawLines(beforePath, options.stdin), new EntryParser(beforePath)),
    after: new Cursor(readRawLines(afterPath, options.stdin), new EntryParser(afterPath)),
  };
  const order = new LockstepOrder();
  const matcher = new Matcher(options.limits);
  const tally = new DiffTally(options.maxListed ?? MAX_LISTED);
  let spill: SpillStore | null = null;
  try {
    for (;;) {
      if (cursors.before.needsFill) await cursors.before.fill();
      if (cursors.after.needsFill) await cursors.after.fill();
      const rawBefore = cursors.before.raw();
      if (rawBefore !== null && rawBefore.text === cursors.after.raw()?.text) {
        const before = cursors.before.take();
        tally.pair(before, cursors.after.takeTwin(before));
        continue;
      }
      const side = order.pick(cursors.before.head(), cursors.after.head());
      if (side === null) break;
      const entry = cursors[side].take();
      const partner = matcher.offer(side, entry);
      if (partner !== null) tally.pair(side === 'before' ? entry : partner, side === 'before' ? partner : entry);
      if (matcher.overLimit) {
        spill ??= await SpillStore.create();
        await spill.write(matcher.evictOldest());
      }
    }
    const rest = matcher.drain();
    if (spill === null) {
      for (const entry of rest.before) tally.only('before', entry);
      for (const entry of rest.after) tally.only('after', entry);
    } else {
      await spill.write(rest);
      for await (const item of spill.join()) {
        if (item.kind === 'pair') tally.pair(item.before, item.after);
        else tally.only(item.side, item.entry);
      }
    }
    return tally.result();
  } finally {
    await Promise.all([cursors.before.close(), cursors.after.close()]);
    await spill?.dispose();
  }
}

// --- internal ---

/** One line at a time from a batched line stream, parsed when first looked at. */
class Cursor {
  private batch: RawLine[] = [];
  private index = 0;
  private done = false;
  private parsed: Entry | null = null;

  constructor(
    private readonly source: AsyncGenerator<RawLine[]>,
    private readonly parser: EntryParser,
  ) {}

  get needsFill(): boolean {
    return this.index >= this.batch.length && !this.done;
  }

  async fill(): Promise<void> {
    while (this.needsFill) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.batch = next.value;
        this.index = 0;
      }
    }
  }

  /** The next line (after `fill`), or null at the end. */
  raw(): RawLine | null {
    return this.batch[this.index] ?? null;
  }

  /** The next line as an entry, or null at the end. */
  head(): Entry | null {
    const raw = this.raw();
    if (raw === null) return null;
    this.parsed ??= this.parser.parse(raw);
    return this.parsed;
  }

  /** Consume the next line (call only when `raw()` is not null). */
  take(): Entry {
    const entry = this.head() as Entry;
    this.advance();
    return entry;
  }

  /** Consume the next line, known to have exactly the text of `twin`. */
  takeTwin(twin: Entry): Entry {
    const entry = this.parsed ?? this.parser.twin(twin);
    this.advance();
    return entry;
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }

  private advance(): void {
    this.index += 1;
    this.parsed = null;
  }
}
