// startMixpanelServer: a Mixpanel-compatible ingestion server on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerContext } from './context.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RECORDS, DEFAULT_PROJECT } from './defaults.js';
import { FaultInjector } from './faults.js';
import { RateLimiter } from './rate-limiter.js';
import { serveRequest } from './request-flow.js';
import { serverError } from './replies.js';
import { ServerStore } from './store.js';
import type { MixpanelTestServer, ServerOptions, ServerProject } from './types.js';

function buildContext(options: ServerOptions): ServerContext {
  const projects: ServerProject[] = options.projects ?? [{ ...DEFAULT_PROJECT }];
  const now = options.now ?? Date.now;
  const rate = options.rateLimit;
  return {
    projects,
    projectsByToken: new Map(projects.map((p) => [p.token, p])),
    requireAuth: options.requireAuth ?? true,
    latencyMs: options.latencyMs ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxRecords: options.maxRecords ?? DEFAULT_MAX_RECORDS,
    limiter: rate === undefined ? undefined : new RateLimiter(rate.eventsPerSecond, rate.burstSeconds ?? 1, now),
    faults: new FaultInjector(options.faults),
    now,
    store: new ServerStore(),
    hooks: options.hooks ?? {},
  };
}

export async function startMixpanelServer(
  options: ServerOptions & { port?: number } = {},
): Promise<MixpanelTestServer> {
  const ctx = buildContext(options);
  const server = createServer((req, res) => {
    // A failure here is a server bug or a client that went away mid-body: answer 500 if possible.
    serveRequest(ctx, req, res).catch(() => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const reply = serverError(500);
      res.writeHead(500, { 'content-type': reply.contentType });
      res.end(reply.body);
    });
  });
  // Longer than the usual client idle timeouts, so the client closes idle sockets first.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 31_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accepted: ctx.store.accepted,
    requests: ctx.store.requests,
    stats: () => ctx.store.stats(),
    reset: () => ctx.store.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
