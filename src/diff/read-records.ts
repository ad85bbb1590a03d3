import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isObject, type JsonObject } from '../json.js';
import { readLines } from '../pipeline/read.js';
import { recordName } from './compare.js';
import { ENDPOINTS, type Endpoint, type Entry } from './types.js';

/** What a dry-run line must look like (SPEC §8), quoted in every bad-input message. */
export const DRY_RUN_SHAPE = '{"endpoint":"/import"|"/engage"|"/groups","file":…,"line":n,"messageId":id-or-null,"record":{…}}';

/** The diff input is unreadable or not a dry-run output: exit 2, the message says where. */
export class DiffInputError extends Error {}

export interface DryRecord {
  readonly endpoint: Endpoint;
  readonly file: string;
  readonly line: number;
  readonly messageId: string | null;
  readonly record: JsonObject;
}

/** Fail early, before any output, when a path is not a readable file ("-" is stdin). */
export async function checkReadable(path: string): Promise<void> {
  if (path === '-') return;
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new DiffInputError(`${path}: cannot read it (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new DiffInputError(`${path}: not a file (expected a dry-run output written by "mpx-replay import --dry-run")`);
}

/**
 * Stream a dry-run file (plain or gzip, or "-" for stdin) as entries, in batches. Each entry's
 * index is its position among the records of its message for its endpoint: a message's records
 * are consecutive and share the message's file:line.
 */
export async function* readEntries(path: string, stdin?: Readable): AsyncGenerator<Entry[]> {
  const positions = new MessagePositions();
  const lines = readLines([path], stdin === undefined ? {} : { stdin });
  try {
    for await (const batch of lines) {
      const entries: Entry[] = [];
      for (const input of batch) {
        if (input.kind === 'bad') throw new DiffInputError(`${path}:${input.line}: ${input.reason}; expected a dry-run record ${DRY_RUN_SHAPE}`);
        const dry = parseDryRecord(input.text);
        if (typeof dry === 'string') throw new DiffInputError(`${path}:${input.line}: not a dry-run record: ${dry}; expected ${DRY_RUN_SHAPE}`);
        entries.push(toEntry(dry, positions.next(dry), input.text));
      }
      if (entries.length > 0) yield entries;
    }
  } catch (error) {
    if (error instanceof DiffInputError) throw error;
    throw new DiffInputError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** A dry-run line, or what is wrong with it. */
export function parseDryRecord(text: string): DryRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `invalid JSON (${(error as Error).message})`;
  }
  if (!isObject(value)) return `found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object`;
  const { endpoint, file, line, messageId, record } = value;
  if (!ENDPOINTS.includes(endpoint as Endpoint)) return `"endpoint" is ${describe(endpoint)}`;
  if (typeof file !== 'string') return `"file" is ${describe(file)}`;
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) return `"line" is ${describe(line)}`;
  if (messageId !== null && typeof messageId !== 'string') return `"messageId" is ${describe(messageId)}`;
  if (!isObject(record)) return `"record" is ${describe(record)}`;
  return { endpoint: endpoint as Endpoint, file, line, messageId, record };
}

export function matchKey(endpoint: Endpoint, messageId: string | null, file: string, line: number, index: number): string {
  const id = messageId === null ? `line\u0000${file}:${line}` : `id\u0000${messageId}`;
  return `${endpoint}\u0000${id}\u0000${index}`;
}

// --- internal ---

function toEntry(dry: DryRecord, index: number, text: string): Entry {
  return {
    key: matchKey(dry.endpoint, dry.messageId, dry.file, dry.line, index),
    endpoint: dry.endpoint,
    messageId: dry.messageId,
    index,
    name: recordName(dry.endpoint, dry.record),
    file: dry.file,
    line: dry.line,
    text,
  };
}

/** Counts records per endpoint within the current message (a run of records with one file:line). */
class MessagePositions {
  private file = '';
  private line = 0;
  private counts = new Map<Endpoint, number>();

  next(dry: DryRecord): number {
    if (dry.file !== this.file || dry.line !== this.line) {
      this.file = dry.file;
      this.line = dry.line;
      this.counts.clear();
    }
    const index = this.counts.get(dry.endpoint) ?? 0;
    this.counts.set(dry.endpoint, index + 1);
    return index;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
