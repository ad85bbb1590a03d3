import { Buffer } from 'node:buffer';
import { MAX_IMPORT_REQUEST_BYTES } from '../mixpanel/limits.js';
import type { Endpoint, RoutedRecord } from '../mixpanel/types.js';

/** One record on its way, with the line it belongs to. */
export interface Item {
  readonly record: RoutedRecord;
  readonly ticket: LineTicket;
}

/** Settles a line once all its records are settled: delivered only if every record was accepted. */
export class LineTicket {
  private firstRejection: Rejection | null = null;

  constructor(
    private remaining: number,
    private readonly onSettled: (rejection: Rejection | null) => void,
  ) {}

  done(rejection: Rejection | null): void {
    if (rejection !== null && (this.firstRejection === null || (this.firstRejection.unsent && !rejection.unsent))) this.firstRejection = rejection;
    this.remaining -= 1;
    if (this.remaining === 0) this.onSettled(this.firstRejection);
  }
}

/** Why a record was not delivered; `unsent` when it never reached Mixpanel because the run stopped. */
export interface Rejection {
  readonly reason: string;
  readonly unsent: boolean;
}

interface OpenBatch {
  items: Item[];
  /** UTF-16 units of the JSON array so far. */
  chars: number;
  /** Exact UTF-8 bytes, counted only once the batch could be near the limit. */
  bytes: number | null;
}

/**
 * Whether one more record keeps the batch within the byte limit. A UTF-16 unit is at most 3
 * UTF-8 bytes, so exact counting starts only when 3 × the characters could pass the limit.
 */
function fits(batch: OpenBatch, json: string): boolean {
  if ((batch.chars + json.length + 1) * 3 <= MAX_REQUEST_BYTES) return true;
  batch.bytes ??= 2 + batch.items.reduce((sum, i) => sum + Buffer.byteLength(i.record.json) + 1, 0);
  return batch.bytes + Buffer.byteLength(json) + 1 <= MAX_REQUEST_BYTES;
}

/** Mixpanel's /import limit, applied to every endpoint (a JSON array: brackets and commas included). */
const MAX_REQUEST_BYTES = MAX_IMPORT_REQUEST_BYTES;

/** Accumulates items per endpoint up to the request limits; hands out full batches. */
export class Batcher {
  private readonly open = new Map<Endpoint, OpenBatch>();

  constructor(private readonly maxRecords: number) {}

  /** Add an item; returns the batches it completed (usually none). */
  add(item: Item): Item[][] {
    const endpoint = item.record.endpoint;
    const completed: Item[][] = [];
    let batch = this.open.get(endpoint);
    if (batch !== undefined && !fits(batch, item.record.json)) {
      completed.push(batch.items);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { items: [], chars: 2, bytes: null };
      this.open.set(endpoint, batch);
    }
    batch.items.push(item);
    batch.chars += item.record.json.length + 1;
    if (batch.bytes !== null) batch.bytes += Buffer.byteLength(item.record.json) + 1;
    if (batch.items.length >= this.maxRecords) {
      this.open.delete(endpoint);
      completed.push(batch.items);
    }
    return completed;
  }

  /** Every partly filled batch, emptied. */
  drain(): Item[][] {
    const batches = [...this.open.values()].map((b) => b.items).filter((items) => items.length > 0);
    this.open.clear();
    return batches;
  }
}
