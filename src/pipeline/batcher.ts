import { MAX_IMPORT_REQUEST_BYTES } from '../mixpanel/limits.js';
import type { Endpoint, WireRecord } from '../mixpanel/types.js';

/** One record on its way, with the line it belongs to. */
export interface Item {
  readonly record: WireRecord;
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
  /** Bytes of the JSON array so far (brackets and commas included). */
  bytes: number;
}

/** Mixpanel's /import limit, applied to every endpoint. */
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
    const size = item.record.bytes.length;
    if (batch !== undefined && batch.bytes + size + 1 > MAX_REQUEST_BYTES) {
      completed.push(batch.items);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { items: [], bytes: 1 };
      this.open.set(endpoint, batch);
    }
    batch.items.push(item);
    batch.bytes += size + 1;
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
