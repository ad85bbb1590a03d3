import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../input/read.js';
import { TextWriter } from '../lib/text-writer.js';
import type { Entry, Side } from './types.js';

/** Hash partitions per side; the final join holds one `before` partition in memory at a time. */
export const SPILL_PARTITIONS = 64;

export type JoinItem = { readonly kind: 'pair'; readonly before: Entry; readonly after: Entry } | { readonly kind: 'only'; readonly side: Side; readonly entry: Entry };

/**
 * Pending records that did not fit in memory, written to a temporary directory as hash
 * partitions by match key (a partitioned hash join): records with the same key always land in
 * the same partition number on both sides, so the final join reads one partition pair at a time.
 */
export class SpillStore {
  private readonly writers = new Map<string, TextWriter>();

  private constructor(private readonly dir: string) {}

  static async create(): Promise<SpillStore> {
    return new SpillStore(await mkdtemp(join(tmpdir(), 'mpx-replay-diff-')));
  }

  async write(entries: Record<Side, readonly Entry[]>): Promise<void> {
    for (const side of ['before', 'after'] as const) {
      for (const entry of entries[side]) await this.writer(side, partitionOf(entry.key)).write(serialize(entry) + '\n');
    }
  }

  /** Close the files, then join partition by partition. Call once, after the last `write`. */
  async *join(): AsyncGenerator<JoinItem> {
    for (const writer of this.writers.values()) await writer.close(true);
    for (let p = 0; p < SPILL_PARTITIONS; p += 1) {
      const waiting = new Map<string, Entry[]>();
      if (this.writers.has(name('before', p))) {
        for await (const entry of this.read('before', p)) {
          const list = waiting.get(entry.key);
          if (list === undefined) waiting.set(entry.key, [entry]);
          else list.push(entry);
        }
      }
      if (this.writers.has(name('after', p))) {
        for await (const entry of this.read('after', p)) {
          const list = waiting.get(entry.key);
          const before = list?.shift();
          if (list !== undefined && list.length === 0) waiting.delete(entry.key);
          yield before === undefined ? { kind: 'only', side: 'after', entry } : { kind: 'pair', before, after: entry };
        }
      }
      for (const list of waiting.values()) for (const entry of list) yield { kind: 'only', side: 'before', entry };
    }
  }

  async dispose(): Promise<void> {
    for (const writer of this.writers.values()) await writer.close(true).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  // --- internal ---

  private writer(side: Side, partition: number): TextWriter {
    const key = name(side, partition);
    let writer = this.writers.get(key);
    if (writer === undefined) {
      writer = new TextWriter(createWriteStream(join(this.dir, key)));
      this.writers.set(key, writer);
    }
    return writer;
  }

  private async *read(side: Side, partition: number): AsyncGenerator<Entry> {
    for await (const batch of readLines([join(this.dir, name(side, partition))])) {
      for (const input of batch) if (input.kind === 'line') yield deserialize(input.text);
    }
  }
}

// --- internal ---

function name(side: Side, partition: number): string {
  return `${side}-${partition}.ndjson`;
}

/** FNV-1a over the key's UTF-16 code units. */
function partitionOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SPILL_PARTITIONS;
}

function serialize(e: Entry): string {
  return JSON.stringify([e.key, e.endpoint, e.messageId, e.index, e.name, e.file, e.line, e.text]);
}

function deserialize(text: string): Entry {
  const [key, endpoint, messageId, index, name, file, line, body] = JSON.parse(text) as [Entry['key'], Entry['endpoint'], Entry['messageId'], number, string, string, number, string];
  return { key, endpoint, messageId, index, name, file, line, text: body };
}
