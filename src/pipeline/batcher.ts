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

/** Mixpanel's /import limit, applied to every endpoint (a JSON array: brackets and commas included). */
const MAX_REQUEST_BYTES = MAX_IMPORT_REQUEST_BYTES;

/** Accumulates items per endpoint up to the request limits; hands out full batches. */
export class Batcher {
  private readonly open = new Map<Endpoint, { items: Item[]; bytes: number }>();

  constructor(private readonly maxRecords: number) {}

  /** Add an item; returns the batches it completed (usually none). */
  add(item: Item): Item[][] {
    const endpoint = item.record.endpoint;
    const size = Buffer.byteLength(item.record.json) + 1;
    const completed: Item[][] = [];
    let batch = this.open.get(endpoint);
    if (batch !== undefined && batch.bytes + size > MAX_REQUEST_BYTES) {
      completed.push(batch.items);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { items: [], bytes: 2 };
      this.open.set(endpoint, batch);
    }
    batch.items.push(item);
    batch.bytes += size;
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
