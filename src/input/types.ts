// What the reader yields: blocks of whole lines, the lines it rejects itself, and file summaries.

/** One physical line of an input file (1-based, blank lines count in the numbering but are not emitted). */
export type InputLine =
  | { readonly kind: 'line'; readonly file: string; readonly line: number; readonly text: string }
  | { readonly kind: 'bad'; readonly file: string; readonly line: number; readonly reason: string; readonly text: string };

/**
 * Whole lines of one file, still as bytes: what the reader hands to the mappers (a worker splits,
 * decodes and maps them, so the reading thread only moves bytes). `bytes` owns its ArrayBuffer.
 */
export interface Block {
  readonly kind: 'block';
  readonly file: string;
  /** The number of the first line in `bytes`. */
  readonly firstLine: number;
  /** Lines of the block an earlier run settled (`ReadOptions.skip`), ascending. */
  readonly skip: readonly number[];
  readonly bytes: Uint8Array;
}

/** What the reader yields: blocks of lines, and lines it rejected itself (over-long, truncated gzip). */
export type ReadItem = Block | (InputLine & { readonly kind: 'bad' });

/** What happened to a whole file once it has been read. */
export interface FileSummary {
  readonly file: string;
  readonly lines: number;
  readonly gzip: boolean;
  /** Set when a gzip stream ended early; the lines before were kept. */
  readonly truncated: string | null;
}

/** An input that is not read from the local disk (an `s3://` object): its bytes, and whether each chunk is only valid until the next. */
export interface OpenedInput {
  readonly chunks: AsyncIterable<Buffer>;
  readonly borrowed: boolean;
}

/** The bytes of `file` when it is not a local path, else null. */
export type OpenInput = (file: string, signal: AbortSignal | undefined) => OpenedInput | null;
