import type { Endpoint } from '../mixpanel/types.js';
import type { SegmentType } from '../segment/types.js';
import { reasonGroup, type LineOutcome, type LineRef, type Stage } from '../outcomes.js';

const EXAMPLES_PER_REASON = 5;

export interface ReasonCount {
  count: number;
  stage?: Stage;
  /** The first few places it happened, as "file:line". */
  examples: string[];
}

/** Counts kept during a run; the report is built from them. Nothing here does I/O. */
export class Accounting {
  readonly messagesByType = new Map<string, number>();
  readonly recordsBuilt = new Map<Endpoint, number>();
  readonly recordsDelivered = new Map<Endpoint, number>();
  readonly recordsRejected = new Map<Endpoint, number>();
  /** Records of unsettled lines an earlier run had delivered (acknowledged `$add`/`$append`), not sent again. */
  readonly recordsResumed = new Map<Endpoint, number>();
  readonly skipped = new Map<string, ReasonCount>();
  readonly rejected = new Map<string, ReasonCount>();
  readonly warnings = new Map<string, number>();
  linesRead = 0;
  linesDelivered = 0;
  linesSkipped = 0;
  linesRejected = 0;
  /** Messages replayed although device mode had sent them (`_metadata.bundled` lists Mixpanel). */
  deviceMode = 0;

  /** A non-blank line was read (counted once, before its outcome is known). */
  read(type: SegmentType | null): void {
    this.linesRead += 1;
    const key = type ?? 'invalid';
    this.messagesByType.set(key, (this.messagesByType.get(key) ?? 0) + 1);
  }

  settle(ref: LineRef, outcome: LineOutcome): void {
    if (outcome.kind === 'delivered') {
      this.linesDelivered += 1;
    } else if (outcome.kind === 'skipped') {
      this.linesSkipped += 1;
      bump(this.skipped, reasonGroup(outcome.reason), ref);
    } else {
      this.linesRejected += 1;
      bump(this.rejected, reasonGroup(outcome.reason), ref, outcome.stage);
    }
  }

  built(endpoint: Endpoint, count = 1): void {
    add(this.recordsBuilt, endpoint, count);
  }

  delivered(endpoint: Endpoint, count: number): void {
    add(this.recordsDelivered, endpoint, count);
  }

  recordRejected(endpoint: Endpoint, count: number): void {
    add(this.recordsRejected, endpoint, count);
  }

  recordResumed(endpoint: Endpoint, count: number): void {
    add(this.recordsResumed, endpoint, count);
  }

  warn(warning: string, count = 1): void {
    this.warnings.set(warning, (this.warnings.get(warning) ?? 0) + count);
  }

  /** Lines read but not yet settled (records in flight); 0 at the end of a complete run. */
  get unsettled(): number {
    return this.linesRead - this.linesDelivered - this.linesSkipped - this.linesRejected;
  }
}

function bump(map: Map<string, ReasonCount>, key: string, ref: LineRef, stage?: Stage): void {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = { count: 0, ...(stage && { stage }), examples: [] };
    map.set(key, entry);
  }
  entry.count += 1;
  if (entry.examples.length < EXAMPLES_PER_REASON) entry.examples.push(`${ref.file}:${ref.line}`);
}

function add<K>(map: Map<K, number>, key: K, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}
