import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isObject, type JsonObject } from '../lib/json.js';
import { readLines } from '../input/read.js';
import { recordName } from './compare.js';
import { ENDPOINTS, type Endpoint, type Entry } from './types.js';
import { DiffInputError } from '../errors.js';
import { MAX_MESSAGE_DEPTH, nestedDeeperThan } from '../lib/json-depth.js';

/** What a dry-run line must look like (README "Dry run and diff"), quoted in every bad-input message. */
export const DRY_RUN_SHAPE = '{"endpoint":"/import"|"/engage"|"/groups","file":…,"line":n,"messageId":id-or-null,"record":{…}}';

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

/** One non-blank line of a dry-run file, not parsed yet. */
export interface RawLine {
  readonly line: number;
  readonly text: string;
}

/** Stream the lines of a dry-run file (plain or gzip, or "-" for stdin), in batches. */
export async function* readRawLines(path: string, stdin?: Readable): AsyncGenerator<RawLine[]> {
  const lines = readLines([path], stdin === undefined ? {} : { stdin });
  try {
    for await (const batch of lines) {
      const bad = batch.find((input) => input.kind === 'bad');
      if (bad !== undefined && bad.kind === 'bad') throw new DiffInputError(`${path}:${bad.line}: ${bad.reason}; expected a dry-run record ${DRY_RUN_SHAPE}`);
      yield batch;
    }
  } catch (error) {
    if (error instanceof DiffInputError) throw error;
    throw new DiffInputError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * Turns the lines of one file into entries. An entry's index is its position among the records
 * of its message for its endpoint: a message's records are consecutive and share the message's
 * file:line, so only the current message is remembered.
 */
export class EntryParser {
  private readonly positions = new MessagePositions();

  constructor(private readonly path: string) {}

  parse(raw: RawLine): Entry {
    const dry = parseDryRecord(raw.text);
    if (typeof dry === 'string') throw new DiffInputError(`${this.path}:${raw.line}: not a dry-run record: ${dry}; expected ${DRY_RUN_SHAPE}`);
    const index = this.positions.next(dry.endpoint, dry.file, dry.line);
    return {
      key: matchKey(dry.endpoint, dry.messageId, dry.file, dry.line, index),
      endpoint: dry.endpoint,
      messageId: dry.messageId,
      index,
      name: recordName(dry.endpoint, dry.record),
      file: dry.file,
      line: dry.line,
      text: raw.text,
    };
  }

  /** The entry for a line whose text is exactly `twin`'s (read from the other file): no second parse. */
  twin(twin: Entry): Entry {
    const index = this.positions.next(twin.endpoint, twin.file, twin.line);
    return index === twin.index ? twin : { ...twin, index, key: matchKey(twin.endpoint, twin.messageId, twin.file, twin.line, index) };
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
  // The comparison walks records recursively (docs/architecture.md, "Nesting").
  if (nestedDeeperThan(value, text, MAX_MESSAGE_DEPTH)) return `nesting deeper than ${MAX_MESSAGE_DEPTH} levels`;
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

/** Counts records per endpoint within the current message (a run of records with one file:line). */
class MessagePositions {
  private file = '';
  private line = 0;
  private counts = new Map<Endpoint, number>();

  next(endpoint: Endpoint, file: string, line: number): number {
    if (file !== this.file || line !== this.line) {
      this.file = file;
      this.line = line;
      this.counts.clear();
    }
    const index = this.counts.get(endpoint) ?? 0;
    this.counts.set(endpoint, index + 1);
    return index;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
