/** The Mixpanel client reads at most MAX_REPLY_BYTES of a reply (issue 15): an endless body must not grow memory. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { createMixpanelClient, MAX_REPLY_BYTES } from '../../../src/mixpanel/client.js';

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

/** A server on 127.0.0.1 that answers every request 200 with `chunks` pieces of 64 KiB of "x" (Infinity: never ends). */
async function streamingServer(chunks: number): Promise<{ origin: string; written: () => number }> {
  let written = 0;
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/html' });
    const piece = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      while (sent < chunks && !response.destroyed) {
        sent += 1;
        written += piece.length;
        if (!response.write(piece)) return void response.once('drain', pump);
      }
      if (sent >= chunks) response.end();
    };
    response.on('close', () => (sent = chunks));
    pump();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, written: () => written };
}

describe('reply bodies are read with a cap', () => {
  it('a short body is read whole', async () => {
    const { origin } = await streamingServer(2);
    const client = await createMixpanelClient({ origin, auth: { kind: 'api-secret', secret: 'secret-client-0123' }, connections: 1, timeoutMs: 5_000 });
    const reply = await client.post('/engage', Buffer.from('[]'), false);
    await client.close();
    expect(reply.body.length).toBe(2 * 64 * 1024);
  });

  it('an endless 200 body is cut at MAX_REPLY_BYTES and the reply returns (before the timeout)', async () => {
    const { origin, written } = await streamingServer(Number.POSITIVE_INFINITY);
    const client = await createMixpanelClient({ origin, auth: { kind: 'api-secret', secret: 'secret-client-4567' }, connections: 1, timeoutMs: 20_000 });
    const started = Date.now();
    const reply = await client.post('/import', Buffer.from('[]'), false);
    await client.close();
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(MAX_REPLY_BYTES);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The server stops once the client has let the connection go: far less than the timeout's worth.
    expect(written()).toBeLessThan(64 * MAX_REPLY_BYTES);
  }, 30_000);
});

describe('replies arrive with the credentials redacted (issue 15: a server that echoes the Authorization header)', () => {
  it('the body and the Location header, before any of it is cut short or quoted', async () => {
    const secrets = ['c2VjcmV0LWVjaG8tOTk6', 'secret-echo-99'];
    server = createServer((request, response) => {
      request.resume();
      // Padding puts the header past the 200 characters a report quotes of a body that is not JSON.
      response.writeHead(302, { location: `https://login.example/?auth=${request.headers.authorization}`, 'content-type': 'text/plain' });
      response.end(`${'p'.repeat(190)} you sent ${request.headers.authorization}`);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = await createMixpanelClient({ origin, auth: { kind: 'api-secret', secret: 'secret-echo-99' }, connections: 1, timeoutMs: 5_000, secrets });
    const reply = await client.post('/import', Buffer.from('[]'), false);
    await client.close();
    expect(reply.body).toBe(`${'p'.repeat(190)} you sent Basic <redacted>`);
    expect(reply.location).toBe('https://login.example/?auth=Basic <redacted>');
  });
});

describe('a failed exchange is reported with the credentials redacted (a proxy error may quote its URL)', () => {
  it('the error thrown by the dispatcher comes out with every credential form replaced', async () => {
    const secrets = ['pw-proxy-6612', 'c2VjcmV0LWVjaG8tOTk6'];
    const failing = { request: () => Promise.reject(new Error('connect ECONNREFUSED via http://ops:pw-proxy-6612@proxy.example:3128 (Basic c2VjcmV0LWVjaG8tOTk6)')) } as unknown as Dispatcher;
    const client = await createMixpanelClient({ origin: 'http://127.0.0.1:9', auth: { kind: 'api-secret', secret: 'secret-echo-99' }, connections: 1, timeoutMs: 5_000, secrets, dispatcher: failing });

    await expect(client.post('/import', Buffer.from('[]'), false)).rejects.toThrow('connect ECONNREFUSED via http://ops:<redacted>@proxy.example:3128 (Basic <redacted>)');
  });
});
