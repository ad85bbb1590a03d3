import type { Json } from '../lib/json.js';
import type { Endpoint } from '../mixpanel/types.js';

export { ENDPOINTS, type Endpoint } from '../mixpanel/types.js';

/** Which of the two dry-run files a record came from. */
export type Side = 'before' | 'after';

/**
 * One dry-run record as the diff keeps it: the match key, what the summary groups it by, where
 * its Segment message was (`file`/`line` from the record), and the raw line (parsed again only
 * when needed, so a pending record costs about its text).
 */
export interface Entry {
  /** endpoint, messageId (or file:line when null) and position within the message, joined. */
  readonly key: string;
  readonly endpoint: Endpoint;
  readonly messageId: string | null;
  /** 0-based: the n-th record of this message for this endpoint. */
  readonly index: number;
  /** Summary name: event (/import), profile operation (/engage), $group_key (/groups). */
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** One property-level difference; `path` is dotted (`properties.$os`), arrays are whole values. */
export interface Change {
  readonly op: '~' | '+' | '-';
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
}

export interface Counts {
  onlyBefore: number;
  onlyAfter: number;
  changed: number;
  identical: number;
}

export function zeroCounts(): Counts {
  return { onlyBefore: 0, onlyAfter: 0, changed: 0, identical: 0 };
}
