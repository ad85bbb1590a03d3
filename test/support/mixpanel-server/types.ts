// Public types of the Mixpanel-compatible test server.

export interface ServerProject {
  id: string;
  token: string;
  apiSecret: string;
  serviceAccount?: { user: string; secret: string };
  identity?: 'original' | 'simplified';
}

export interface FaultOptions {
  /** Seed of the deterministic PRNG (mulberry32). Default 1. */
  seed?: number;
  /** Probability 0..1 that a request gets a 429. */
  rate429?: number;
  rate503?: number;
  rate500?: number;
  /** Probability that the socket is destroyed without a reply. */
  rateDrop?: number;
  /** false (default): dropped requests ingest nothing; true: ingest, then drop (a lost reply). */
  dropAfterIngest?: boolean;
  /** Probability that a reply is delayed by slowMs (default 1000 ms). */
  rateSlow?: number;
  slowMs?: number;
  /** 429 bursts: with 1-based request numbers k, k >= N and (k - N) % N < length get a 429. */
  burst429?: { everyNthRequest: number; length: number };
  /** When set, every 429 reply (faults and rate limiter) carries Retry-After. */
  retryAfterSeconds?: number;
  /**
   * /import replies that quote the request's Authorization header back, as a misbehaving server
   * or proxy might: 'failed-records' fails the first record of each accepted batch (400, the others
   * ingested) with the header in its message; 'server-error' answers every request with a 500 whose
   * plain-text body holds it; 'unauthorized' a 401 whose error holds it.
   */
  echoAuthorization?: 'failed-records' | 'server-error' | 'unauthorized';
}

export interface ServerOptions {
  projects?: ServerProject[];
  /** Require Basic auth on /import. Default true. */
  requireAuth?: boolean;
  /** Added before every reply (after ingest). */
  latencyMs?: number;
  /** Maximum uncompressed body size; default 10 MiB; larger → 413. */
  maxBodyBytes?: number;
  /** Maximum records per request; default 2000; more → 400. */
  maxRecords?: number;
  /** Per-project token bucket over records (all endpoints). */
  rateLimit?: { eventsPerSecond: number; burstSeconds?: number };
  faults?: FaultOptions;
  /** Clock for time-range checks, the rate limiter and arrival stamps. Default Date.now. */
  now?: () => number;
  hooks?: ServerHooks;
}

/** Test hooks: what a test does at a given request, not at a given time. */
export interface ServerHooks {
  /** Once a request's body is read: a status returned (401, 503) is the reply, and nothing is stored. */
  onRequest?: (request: RequestLogEntry) => 401 | 503 | undefined;
  /** Once a request's records are stored, before its reply is written (a test may kill the client here). */
  onStored?: (request: RequestLogEntry, stored: readonly AcceptedRecord[]) => void;
}

export type Endpoint = '/import' | '/engage' | '/groups';
export type AuthKind = 'service-account' | 'api-secret' | 'token' | 'none';

export interface AcceptedRecord {
  endpoint: Endpoint;
  projectId: string;
  record: any;
  arrivedAtMs: number;
  /** When the reply was written; Infinity when the reply was never sent (drop after ingest). */
  ackedAtMs: number;
  requestId: number;
}

export interface RequestLogEntry {
  requestId: number;
  endpoint: string;
  /** HTTP status; 0 when the socket was destroyed without a reply. */
  status: number;
  records: number;
  rawBytes: number;
  wireBytes: number;
  gzip: boolean;
  arrivedAtMs: number;
  ackedAtMs: number;
  fault?: string;
  authKind?: AuthKind;
}

export interface ServerStats {
  requests: number;
  accepted: number;
  byStatus: Record<string, number>;
  byEndpoint: Record<string, number>;
}

export interface MixpanelTestServer {
  url: string;
  port: number;
  /** Every accepted record, no dedup, in arrival order. */
  accepted: AcceptedRecord[];
  requests: RequestLogEntry[];
  stats(): ServerStats;
  /** Clears accepted and requests (same array objects). */
  reset(): void;
  close(): Promise<void>;
}
