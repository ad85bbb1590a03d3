/**
 * A loopback proxy in front of the test S3 server that misbehaves on request: it stalls a response
 * mid-body, cuts the connection mid-body, or answers 403 AccessDenied (s3rver has no ACLs).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do with one request: pass it on, or misbehave after `afterBytes` bytes of the body. */
export type Fault =
  | { readonly kind: 'stall'; readonly afterBytes: number }
  | { readonly kind: 'cut'; readonly afterBytes: number }
  | { readonly kind: 'deny'; readonly message?: string; readonly code?: string }
  /** Forward the request without its Range header, as a store that ignores ranges would answer. */
  | { readonly kind: 'ignore-range' }
  /** 301 PermanentRedirect naming the bucket's region, as S3 answers a request signed for another region. */
  | { readonly kind: 'redirect'; readonly region: string };

export interface FaultyProxy {
  readonly endpoint: string;
  /** Requests seen: method, path and Range header. */
  readonly requests: Array<{ method: string; path: string; range: string | null }>;
  /** Decide per request; null passes it on unchanged. `signedRegion`: the region of the request's signature. */
  fault: (method: string, path: string, range: string | null, signedRegion: string | null) => Fault | null;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const targetUrl = new URL(target);
  const open = new Set<ServerResponse>();
  const proxy: FaultyProxy = {
    endpoint: '',
    requests: [],
    fault: () => null,
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    proxy.requests.push({ method: req.method ?? 'GET', path, range });
    const signedRegion = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const fault = proxy.fault(req.method ?? 'GET', path, range, signedRegion);
    if (fault?.kind === 'redirect') {
      req.resume();
      res.writeHead(301, { 'content-type': 'application/xml', 'x-amz-bucket-region': fault.region });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>');
      return;
    }
    if (fault?.kind === 'deny') {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code ?? 'AccessDenied'}</Code><Message>${fault.message ?? 'Access Denied'}</Message></Error>`);
      return;
    }
    open.add(res);
    res.on('close', () => open.delete(res));
    const headers = { ...req.headers };
    if (fault?.kind === 'ignore-range') delete headers.range;
    const upstream = request({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path, headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      if (fault === null || fault.kind === 'ignore-range') {
        reply.pipe(res);
        return;
      }
      let sent = 0;
      reply.on('data', (chunk: Buffer) => {
        if (sent >= fault.afterBytes) return;
        const part = chunk.subarray(0, fault.afterBytes - sent);
        sent += part.length;
        res.write(part);
        if (sent < fault.afterBytes) return;
        if (fault.kind === 'cut') setTimeout(() => res.socket?.destroy(), 20);
        // A stall: the rest is never written, and the connection stays open.
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(proxy, { endpoint: `http://127.0.0.1:${port}` });
  return proxy;
}
