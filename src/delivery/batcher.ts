import { Buffer } from 'node:buffer';
import { MAX_IMPORT_REQUEST_BYTES } from '../mixpanel/limits.js';
import type { Endpoint } from '../mixpanel/types.js';

/** Why a record was not delivered; `unsent` when it never reached Mixpanel because the run stopped. */
export interface Rejection {
  readonly reason: string;
  readonly unsent: boolean;
}

/** What a batch needs of the place its records live, by index. */
export interface RecordSource {
  endpoint(record: number): Endpoint;
  byteLength(record: number): number;
  /** Copy the record's JSON into `target` at `at`, once: its bytes are not read again. */
  takeRecord(record: number, target: Buffer, at: number): void;
}

/**
 * Records for one request: record `records[k]` of `sources[k]`, in the order they were added
 * (two parallel lists instead of an object per record), and the request body built as they were
 * added, so a batch does not keep the memory its records came from.
 */
export interface Batch<S extends RecordSource = RecordSource> {
  readonly endpoint: Endpoint;
  readonly sources: S[];
  readonly records: number[];
  /** The body: the records' JSON as one JSON array, `[`, records separated by `,`, `]`. */
  readonly json: Buffer;
  /** Where each record's JSON ends in `json`. */
  readonly ends: number[];
  /** The pooled memory `json` lives in, to give back once the body is no longer needed. */
  readonly memory: Buffer;
}

/**
 * Memory for request bodies, used again once a request is done with it: a new buffer per batch
 * would be garbage the sending thread frees late (tens of MB of RSS on a large import).
 */
export class BodyPool {
  private readonly free: Buffer[] = [];

  take(size: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.length >= size);
    return index === -1 ? Buffer.allocUnsafeSlow(Math.max(size, 2 * 1024 * 1024)) : this.free.splice(index, 1)[0]!;
  }

  give(memory: Buffer): void {
    if (this.free.length < 8) this.free.push(memory);
  }
}

/**
 * Records `from` to `to` (exclusive) of a batch as a batch of their own (a 413's halves), its body
 * cut from `json`, the batch's body (which may since have been given back: then a copy of it).
 */
export function sliceBatch<S extends RecordSource>(batch: Batch<S>, from: number, to: number, json: Buffer, pool: BodyPool): Batch<S> {
  const start = from === 0 ? 1 : batch.ends[from - 1]! + 1;
  const end = batch.ends[to - 1]!;
  const memory = pool.take(end - start + 2);
  memory[0] = OPEN;
  json.copy(memory, 1, start, end);
  memory[end - start + 1] = CLOSE;
  const shift = start - 1;
  return {
    endpoint: batch.endpoint,
    sources: batch.sources.slice(from, to),
    records: batch.records.slice(from, to),
    json: memory.subarray(0, end - start + 2),
    ends: batch.ends.slice(from, to).map((at) => at - shift),
    memory,
  };
}

const OPEN = 0x5b; // [
const COMMA = 0x2c;
const CLOSE = 0x5d; // ]
const NO_BATCHES: readonly never[] = [];

interface OpenBatch<S extends RecordSource> {
  readonly sources: S[];
  readonly records: number[];
  readonly ends: number[];
  memory: Buffer;
  /** Bytes written so far: `[` and the records with their commas (not yet the `]`). */
  length: number;
  /** The sources taken from (only looked up when the source changes: records come in runs). */
  readonly distinct: Set<S>;
}

/**
 * A batch takes records from at most this many blocks. A batch keeps every block it took a record
 * from (their lines settle when it does); an endpoint whose records are rare (a `group` call in
 * thousands of lines) would otherwise keep most of the input in memory until its batch is full.
 * A block read from a file is about 1 MiB: on the bench archive 32 of them hold over 2,000 records
 * of each endpoint, so only rarer records are cut short (8 blocks measured no less memory).
 */
const MAX_SOURCES_PER_BATCH = 32;

/** Mixpanel's /import limit, applied to every endpoint. */
const MAX_REQUEST_BYTES = MAX_IMPORT_REQUEST_BYTES;

/**
 * Accumulates records per endpoint up to the request limits, copying each into its batch's body
 * as it comes; hands out full batches.
 */
export class Batcher<S extends RecordSource> {
  private readonly open = new Map<Endpoint, OpenBatch<S>>();

  constructor(
    private readonly maxRecords: number,
    private readonly pool: BodyPool,
    private readonly maxSources = MAX_SOURCES_PER_BATCH,
  ) {}

  /** Add a record; returns the batches it completed (usually none). */
  add(source: S, record: number): ReadonlyArray<Batch<S>> {
    const endpoint = source.endpoint(record);
    const size = source.byteLength(record);
    // Called once per record: no new array unless a batch is completed.
    let completed: ReadonlyArray<Batch<S>> = NO_BATCHES;
    let open = this.open.get(endpoint);
    // With this record: a comma before it (unless first) and the closing bracket after it.
    const newSource = open !== undefined && open.sources[open.sources.length - 1] !== source && !open.distinct.has(source);
    if (open !== undefined && (open.length + 1 + size + 1 > MAX_REQUEST_BYTES || (newSource && open.distinct.size >= this.maxSources))) {
      completed = [this.close(endpoint, open)];
      open = undefined;
    }
    if (open === undefined) {
      open = { sources: [], records: [], ends: [], memory: this.pool.take(size + 2), length: 1, distinct: new Set() };
      open.memory[0] = OPEN;
      this.open.set(endpoint, open);
    }
    const at = open.records.length === 0 ? open.length : open.length + 1;
    if (at + size + 1 > open.memory.length) {
      const grown = this.pool.take(Math.max(at + size + 1, Math.min(MAX_REQUEST_BYTES, 2 * open.memory.length)));
      open.memory.copy(grown, 0, 0, open.length);
      this.pool.give(open.memory);
      open.memory = grown;
    }
    if (open.records.length > 0) open.memory[open.length] = COMMA;
    source.takeRecord(record, open.memory, at);
    open.length = at + size;
    if (open.sources[open.sources.length - 1] !== source) open.distinct.add(source);
    open.sources.push(source);
    open.records.push(record);
    open.ends.push(open.length);
    if (open.records.length >= this.maxRecords) completed = [...completed, this.close(endpoint, open)];
    return completed;
  }

  /** Every partly filled batch, emptied. */
  drain(): Array<Batch<S>> {
    return [...this.open].map(([endpoint, open]) => this.close(endpoint, open));
  }

  private close(endpoint: Endpoint, open: OpenBatch<S>): Batch<S> {
    this.open.delete(endpoint);
    open.memory[open.length] = CLOSE;
    return { endpoint, sources: open.sources, records: open.records, json: open.memory.subarray(0, open.length + 1), ends: open.ends, memory: open.memory };
  }
}
