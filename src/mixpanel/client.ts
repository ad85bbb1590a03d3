import { Buffer } from 'node:buffer';
import type { Dispatcher } from 'undici';
import { authorizationHeader, type ImportAuth } from './auth.js';
import { splitBaseUrl } from './endpoints.js';
import { TOOL } from '../version.js';
import { redact } from '../lib/redact.js';
import type { Reply } from './classify.js';
import type { Endpoint } from './types.js';

export interface ClientOptions {
  /** The base URL: origin, and maybe a path every endpoint goes under (--api-host). */
  readonly origin: string;
  /** From HTTP_PROXY, HTTPS_PROXY and NO_PROXY; null: connect directly. */
  readonly proxy?: { readonly httpProxy: string; readonly httpsProxy: string; readonly noProxy: string } | null;
  readonly auth: ImportAuth;
  readonly connections: number;
  readonly timeoutMs: number;
  /** Redacted from every reply as it arrives (lib/redact.ts), before any of it is cut short or quoted. */
  readonly secrets?: readonly string[];
  /** Tests may pass their own dispatcher; by default one keep-alive pool for the origin. */
  readonly dispatcher?: Dispatcher;
}

export interface MixpanelClient {
  /** POST one batch body (JSON array, gzipped for /import). Network failures reject. */
  post(endpoint: Endpoint, body: Buffer, gzip: boolean): Promise<Reply>;
  close(): Promise<void>;
}

const USER_AGENT = `${TOOL.name}/${TOOL.version}`;

/**
 * The most of a reply body that is read: Mixpanel's replies are small JSON; a longer body (a
 * proxy's page, an endless stream) is cut here, the connection closed, and the cut text kept.
 */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** The body's text, at most `cap` bytes of it; the rest is not read (the stream is destroyed). */
export async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, cap: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = cap - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= cap) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The query string of each endpoint (README "Delivery"). */
export function endpointPath(endpoint: Endpoint, auth: ImportAuth): string {
  if (endpoint === '/import') return auth.kind === 'service-account' ? `/import?strict=1&project_id=${encodeURIComponent(auth.projectId)}` : '/import?strict=1';
  return `${endpoint}?verbose=1&ip=0`;
}

/**
 * undici is loaded here, when a delivery starts: it takes ~150 ms and ~20 MB to load, which a dry
 * run, `--help` or `diff` never need.
 */
export async function createMixpanelClient(options: ClientOptions): Promise<MixpanelClient> {
  const { origin, basePath } = splitBaseUrl(options.origin);
  const dispatcher = options.dispatcher ?? (await defaultDispatcher(origin, options));
  const authorization = authorizationHeader(options.auth);
  const secrets = options.secrets ?? [];
  return {
    async post(endpoint, body, gzip) {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT };
      if (gzip) headers['content-encoding'] = 'gzip';
      if (endpoint === '/import') headers.authorization = authorization;
      let response: Dispatcher.ResponseData;
      let text: string;
      try {
        response = await dispatcher.request({
          origin,
          path: `${basePath}${endpointPath(endpoint, options.auth)}`,
          method: 'POST',
          headers,
          body,
          // One deadline for the whole exchange (undici's own timeouts tick in 500 ms steps).
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = redact(await readCapped(response.body, MAX_REPLY_BYTES), secrets);
      } catch (error) {
        // A network or proxy error may quote a URL with its password: only its redacted words go on.
        throw new Error(redact((error as Error).message, secrets));
      }
      const retryAfter = response.headers['retry-after'];
      const location = response.headers.location;
      return { status: response.statusCode, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: text, location: typeof location === 'string' ? redact(location, secrets) : null };
    },
    async close() {
      if (options.dispatcher === undefined) await dispatcher.close();
    },
  };
}

/**
 * One keep-alive pool for the origin; with a proxy in the environment, undici's
 * EnvHttpProxyAgent (HTTPS_PROXY for https, HTTP_PROXY for http, hosts in NO_PROXY direct),
 * given the values explicitly so it never reads the process environment itself.
 */
async function defaultDispatcher(origin: string, options: ClientOptions): Promise<Dispatcher> {
  const undici = await import('undici');
  const pool = { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 };
  if (options.proxy === null || options.proxy === undefined) return new undici.Pool(origin, pool);
  return new undici.EnvHttpProxyAgent({ ...pool, ...options.proxy });
}
