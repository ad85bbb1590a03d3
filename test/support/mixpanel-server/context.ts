// State shared by the endpoint handlers, and what a handler hands back to the server.
import type { IncomingHttpHeaders } from 'node:http';
import type { BodyResult } from './body.js';
import type { FaultInjector } from './faults.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Reply } from './replies.js';
import type { ServerStore } from './store.js';
import type { AuthKind, ServerHooks, ServerProject } from './types.js';

export interface ServerContext {
  projects: ServerProject[];
  projectsByToken: ReadonlyMap<string, ServerProject>;
  requireAuth: boolean;
  latencyMs: number;
  maxBodyBytes: number;
  maxRecords: number;
  limiter: RateLimiter | undefined;
  faults: FaultInjector;
  now: () => number;
  store: ServerStore;
  hooks: ServerHooks;
}

export interface HandlerInput {
  url: URL;
  headers: IncomingHttpHeaders;
  body: BodyResult;
}

/** Records to store, grouped by project. */
export interface IngestGroup {
  projectId: string;
  records: unknown[];
}

export interface Outcome {
  reply: Reply;
  /** Records in the request (0 when it could not be parsed). */
  records: number;
  ingest: IngestGroup[];
  authKind?: AuthKind;
}

export function isTruthyFlag(value: string | null): boolean {
  return value === '1' || value === 'true';
}
