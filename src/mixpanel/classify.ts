import type { Endpoint } from './types.js';

/** What a reply means for the batch that was sent (README "Delivery"). Decided here; acted on by the sender. */
export type Classification =
  | { readonly kind: 'delivered' }
  /** /import strict 400: the listed records failed, the others were ingested. */
  | { readonly kind: 'partial'; readonly failed: ReadonlyArray<{ readonly index: number; readonly message: string }> }
  /** Nothing was ingested and resending the same batch will not help. */
  | { readonly kind: 'rejected'; readonly message: string }
  /** Too large (413) or a profile batch refused as a whole: send the halves. */
  | { readonly kind: 'split'; readonly message: string }
  /**
   * `ambiguous`: nothing says the batch was not applied (no reply, a 5xx, a 200 that is not
   * Mixpanel's): resending it may apply its `$add`/`$append` twice. A 429 or 408 applied nothing.
   */
  | { readonly kind: 'retry'; readonly message: string; readonly retryAfterMs: number | null; readonly rateLimited: boolean; readonly ambiguous: boolean }
  /** `credentials`: Mixpanel refused the credentials (401, 403); otherwise something else is wrong (a redirect, a wrong host). */
  | { readonly kind: 'fatal'; readonly message: string; readonly credentials: boolean };

export interface Reply {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
  /** The Location header of a redirect. */
  readonly location?: string | null;
}

/**
 * Classify an HTTP reply from Mixpanel. Pure. `size` is the number of records in the batch;
 * `nowMs` the time of the reply, for a `Retry-After` given as an HTTP date.
 */
export function classifyReply(endpoint: Endpoint, reply: Reply, size: number, nowMs: number): Classification {
  const { status } = reply;
  const body = parseBody(reply.body);
  const error = typeof body?.error === 'string' ? body.error : reply.body.slice(0, 200);
  if (status === 200) {
    const success = endpoint === '/import' ? importSucceeded(body) : profileStatus(body, reply.body);
    if (success === true) return { kind: 'delivered' };
    if (success === false) return size > 1 ? { kind: 'split', message: `${endpoint}: ${error}` } : { kind: 'rejected', message: `${endpoint}: ${error}` };
    // Not Mixpanel's reply (a proxy's page, a captive portal): nothing says the batch was ingested.
    return { kind: 'retry', message: `200 from ${endpoint} without Mixpanel's reply (${describeBody(reply.body)})`, retryAfterMs: null, rateLimited: false, ambiguous: true };
  }
  if (status === 400 && endpoint === '/import') return classifyImport400(body, error);
  if (status === 401 || status === 403) return { kind: 'fatal', message: `Mixpanel answered ${status} to ${endpoint} (${error})`, credentials: true };
  if (status >= 300 && status < 400) return { kind: 'fatal', message: redirectMessage(status, endpoint, reply.location ?? null), credentials: false };
  if (status === 413) return size > 1 ? { kind: 'split', message: `413 ${error}` } : { kind: 'rejected', message: `record too large for ${endpoint}: ${error}` };
  if (status === 429 || status === 408 || status >= 500) {
    return { kind: 'retry', message: `${status} from ${endpoint}`, retryAfterMs: parseRetryAfter(reply.retryAfter, nowMs), rateLimited: status === 429, ambiguous: status >= 500 };
  }
  if (status === 400) return size > 1 ? { kind: 'split', message: `400 ${error}` } : { kind: 'rejected', message: `${endpoint}: ${error}` };
  return { kind: 'fatal', message: `unexpected HTTP ${status} from ${endpoint}: ${error}; check --api-host or --region`, credentials: false };
}

/**
 * Whether a 200 from /import is Mixpanel's success: `{"code":200,"num_records_imported":n,
 * "status":"OK"}` (or `"status":1`, as some mocks answer); null when it is not Mixpanel's reply.
 */
function importSucceeded(body: Record<string, unknown> | null): true | null {
  if (body === null) return null;
  return typeof body.num_records_imported === 'number' || body.status === 1 || body.status === 'OK' ? true : null;
}

/**
 * A 200 from /engage or /groups (`verbose=1`): `{"status":1}` is success, `{"status":0,"error"}`
 * a refusal (false); the legacy plain `1`/`0` likewise; anything else (null) is not Mixpanel's reply.
 */
function profileStatus(body: Record<string, unknown> | null, text: string): boolean | null {
  const status = body === null ? Number(text.trim() === '' ? Number.NaN : text.trim()) : body.status;
  if (status === 1) return true;
  if (status === 0) return false;
  return null;
}

/** A short description of a reply body that is not Mixpanel's, for the report. */
function describeBody(text: string): string {
  if (text.trim() === '') return 'an empty body';
  return `body starts ${JSON.stringify(text.slice(0, 60))}`;
}

/**
 * Redirects are not followed: the request carries credentials, and Mixpanel's API does not
 * redirect, so a redirect means the base URL points somewhere else (a proxy, a login page).
 */
function redirectMessage(status: number, endpoint: Endpoint, location: string | null): string {
  const where = location === null ? 'without a Location' : URL.canParse(location) ? `to ${new URL(location).host}` : `to ${JSON.stringify(location.slice(0, 100))} on the same host`;
  return `HTTP ${status} from ${endpoint}: a redirect ${where}, not followed (a request with credentials is sent only where --api-host or --region says); check --api-host`;
}

/**
 * Strict /import 400: `failed_records` lists rejected records by `index` (the entry may name
 * `insert_id` or `$insert_id`); plain strings fail the whole batch. Never retried.
 */
function classifyImport400(body: Record<string, unknown> | null, error: string): Classification {
  const failed = body?.failed_records;
  if (!Array.isArray(failed) || failed.length === 0) return { kind: 'rejected', message: `/import: ${error}` };
  const rows: Array<{ index: number; message: string }> = [];
  for (const entry of failed) {
    if (typeof entry === 'string') return { kind: 'rejected', message: `/import: ${entry}` };
    if (entry === null || typeof entry !== 'object') continue;
    const { index, message, field } = entry as Record<string, unknown>;
    if (typeof index !== 'number') return { kind: 'rejected', message: `/import: ${error}` };
    rows.push({ index, message: `${typeof message === 'string' ? message : 'failed validation'}${typeof field === 'string' && !String(message).includes(field) ? ` (${field})` : ''}` });
  }
  return { kind: 'partial', failed: rows };
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs?: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) || nowMs === undefined ? null : Math.max(0, date - nowMs);
}

function parseBody(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
