import type { Buffer } from 'node:buffer';
import type { Endpoint } from '../mixpanel/types.js';
import type { RecordSource } from './batcher.js';
import type { LineTally } from './line-tally.js';
import type { OutgoingBlock } from './outgoing-block.js';

/** A block's records on their way: where they live, and the tally that settles their lines. */
export class InFlightBlock implements RecordSource {
  constructor(
    readonly block: OutgoingBlock,
    readonly tally: LineTally,
  ) {}

  endpoint(record: number): Endpoint {
    return this.block.endpoint(record);
  }

  byteLength(record: number): number {
    return this.block.byteLength(record);
  }

  takeRecord(record: number, target: Buffer, at: number): void {
    this.block.takeRecord(record, target, at);
  }
}
