import type { JsonObject } from '../lib/json.js';
import { compareRecords } from './compare.js';
import { parseDryRecord } from './read-records.js';
import { zeroCounts, type Change, type Counts, type Endpoint, type Entry, type Side } from './types.js';

/** Records listed per list (only before, only after, changed); the counts stay exact. */
export const MAX_LISTED = 1000;

export interface RecordKey {
  readonly endpoint: Endpoint;
  readonly messageId: string | null;
  readonly index: number;
}

export interface Where {
  readonly file: string;
  readonly line: number;
}

export interface OnlyListing {
  readonly key: RecordKey;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly record: JsonObject;
}

export interface ChangedListing {
  readonly key: RecordKey;
  readonly name: { readonly before: string; readonly after: string };
  readonly before: Where;
  readonly after: Where;
  readonly changes: readonly Change[];
}

export interface NameCounts extends Counts {
  readonly endpoint: Endpoint;
  readonly name: string;
}

export interface DiffResult {
  readonly identical: boolean;
  readonly onlyBefore: readonly OnlyListing[];
  readonly onlyAfter: readonly OnlyListing[];
  readonly changed: readonly ChangedListing[];
  readonly total: Counts;
  readonly byEndpoint: ReadonlyMap<Endpoint, Counts>;
  /** Per endpoint, then per name, in order of first appearance. */
  readonly byName: readonly NameCounts[];
}

/** Collects the outcome of every match: exact counts, the first MAX_LISTED records of each list. */
export class DiffTally {
  private readonly onlyBefore: OnlyListing[] = [];
  private readonly onlyAfter: OnlyListing[] = [];
  private readonly changed: ChangedListing[] = [];
  private readonly total = zeroCounts();
  private readonly byEndpoint = new Map<Endpoint, Counts>();
  private readonly byName = new Map<string, NameCounts>();

  constructor(private readonly maxListed = MAX_LISTED) {}

  pair(before: Entry, after: Entry): void {
    const changes = before.text === after.text ? [] : compareRecords(recordOf(before), recordOf(after));
    if (changes.length === 0) {
      this.count(before, 'identical');
      return;
    }
    this.count(before, 'changed');
    if (this.changed.length >= this.maxListed) return;
    this.changed.push({
      key: keyOf(before),
      name: { before: before.name, after: after.name },
      before: { file: before.file, line: before.line },
      after: { file: after.file, line: after.line },
      changes,
    });
  }

  only(side: Side, entry: Entry): void {
    this.count(entry, side === 'before' ? 'onlyBefore' : 'onlyAfter');
    const list = side === 'before' ? this.onlyBefore : this.onlyAfter;
    if (list.length < this.maxListed) list.push({ key: keyOf(entry), name: entry.name, file: entry.file, line: entry.line, record: recordOf(entry) });
  }

  result(): DiffResult {
    const t = this.total;
    return {
      identical: t.onlyBefore + t.onlyAfter + t.changed === 0,
      onlyBefore: this.onlyBefore,
      onlyAfter: this.onlyAfter,
      changed: this.changed,
      total: { ...t },
      byEndpoint: new Map(this.byEndpoint),
      byName: [...this.byName.values()].sort((a, b) => endpointOrder(a.endpoint) - endpointOrder(b.endpoint)),
    };
  }

  // --- internal ---

  private count(entry: Entry, what: keyof Counts): void {
    this.total[what] += 1;
    let endpoint = this.byEndpoint.get(entry.endpoint);
    if (endpoint === undefined) {
      endpoint = zeroCounts();
      this.byEndpoint.set(entry.endpoint, endpoint);
    }
    endpoint[what] += 1;
    const nameKey = `${entry.endpoint}\u0000${entry.name}`;
    let named = this.byName.get(nameKey);
    if (named === undefined) {
      named = { endpoint: entry.endpoint, name: entry.name, ...zeroCounts() };
      this.byName.set(nameKey, named);
    }
    named[what] += 1;
  }
}

export function endpointOrder(endpoint: Endpoint): number {
  return endpoint === '/import' ? 0 : endpoint === '/engage' ? 1 : 2;
}

function keyOf(entry: Entry): RecordKey {
  return { endpoint: entry.endpoint, messageId: entry.messageId, index: entry.index };
}

/** The entry's text was validated when it was read, so it parses. */
function recordOf(entry: Entry): JsonObject {
  const dry = parseDryRecord(entry.text);
  if (typeof dry === 'string') throw new Error(`diff: a validated record no longer parses (${dry})`);
  return dry.record;
}
