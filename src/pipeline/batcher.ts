import { MAX_IMPORT_REQUEST_BYTES } from '../mixpanel/limits.js';
import type { Endpoint } from '../mixpanel/types.js';

/** Why a record was not delivered; `unsent` when it never reached Mixpanel because the run stopped. */
export interface Rejection {
  readonly reason: string;
  readonly unsent: boolean;
}

/** What a batch needs of the place its records live: their endpoint and size, by index. */
export interface RecordSource {
  endpoint(record: number): Endpoint;
  byteLength(record: number): number;
}

/**
 * Records for one request: record `records[k]` of `sources[k]`, in the order they were added.
 * Two parallel lists instead of an object per record (see OutgoingBlock).
 */
export interface Batch<S extends RecordSource = RecordSource> {
  readonly endpoint: Endpoint;
  readonly sources: S[];
  readonly records: number[];
}

/** Records `from` to `to` (exclusive) of a batch, as a batch of their own. */
export function sliceBatch<S extends RecordSource>(batch: Batch<S>, from: number, to: number): Batch<S> {
  return { endpoint: batch.endpoint, sources: batch.sources.slice(from, to), records: batch.records.slice(from, to) };
}

interface OpenBatch<S extends RecordSource> {
  batch: Batch<S>;
  /** Bytes of the JSON array so far (brackets and commas included). */
  bytes: number;
}

/** Mixpanel's /import limit, applied to every endpoint. */
const MAX_REQUEST_BYTES = MAX_IMPORT_REQUEST_BYTES;

/** Accumulates records per endpoint up to the request limits; hands out full batches. */
export class Batcher<S extends RecordSource> {
  private readonly open = new Map<Endpoint, OpenBatch<S>>();

  constructor(private readonly maxRecords: number) {}

  /** Add a record; returns the batches it completed (usually none). */
  add(source: S, record: number): Array<Batch<S>> {
    const endpoint = source.endpoint(record);
    const completed: Array<Batch<S>> = [];
    let open = this.open.get(endpoint);
    const size = source.byteLength(record);
    if (open !== undefined && open.bytes + size + 1 > MAX_REQUEST_BYTES) {
      completed.push(open.batch);
      open = undefined;
    }
    if (open === undefined) {
      open = { batch: { endpoint, sources: [], records: [] }, bytes: 1 };
      this.open.set(endpoint, open);
    }
    open.batch.sources.push(source);
    open.batch.records.push(record);
    open.bytes += size + 1;
    if (open.batch.records.length >= this.maxRecords) {
      this.open.delete(endpoint);
      completed.push(open.batch);
    }
    return completed;
  }

  /** Every partly filled batch, emptied. */
  drain(): Array<Batch<S>> {
    const batches = [...this.open.values()].map((open) => open.batch).filter((batch) => batch.records.length > 0);
    this.open.clear();
    return batches;
  }
}

/**
 * Settles lines once all their records are settled: a line is delivered only if every record was
 * accepted; otherwise its first rejection by Mixpanel names it (before a "not delivered" one).
 * Counts per line index in typed arrays, for the lines of one block.
 */
export class LineTally {
  private readonly unsettled: Int32Array;
  private readonly lineOfRecord: Int32Array;
  private rejections: Map<number, Rejection> | null = null;

  /** `firstRecord(i)`: the index of line i's first record; line i's records end where line i + 1's start. */
  constructor(
    lineCount: number,
    firstRecord: (line: number) => number,
    private readonly onSettled: (line: number, rejection: Rejection | null) => void,
  ) {
    this.unsettled = new Int32Array(lineCount);
    this.lineOfRecord = new Int32Array(firstRecord(lineCount));
    for (let line = 0; line < lineCount; line += 1) {
      const end = firstRecord(line + 1);
      this.unsettled[line] = end - firstRecord(line);
      this.lineOfRecord.fill(line, firstRecord(line), end);
    }
  }

  /** A record is settled: accepted (null) or rejected. */
  done(record: number, rejection: Rejection | null): void {
    const line = this.lineOfRecord[record]!;
    if (rejection !== null) {
      this.rejections ??= new Map();
      const first = this.rejections.get(line);
      if (first === undefined || (first.unsent && !rejection.unsent)) this.rejections.set(line, rejection);
    }
    const left = this.unsettled[line]! - 1;
    this.unsettled[line] = left;
    if (left === 0) this.onSettled(line, this.rejections?.get(line) ?? null);
  }
}
