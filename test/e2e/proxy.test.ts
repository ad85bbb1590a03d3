/**
 * Delivery through what sits between the tool and Mixpanel (README "Options"): an `--api-host`
 * with a path, and a forward proxy from HTTP_PROXY / HTTPS_PROXY, bypassed for NO_PROXY hosts.
 * Everything on 127.0.0.1.
 */
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT, startMixpanelServer, type MixpanelTestServer } from '../support/mixpanel-server/index.js';
import { generateMessages } from '../support/synth/index.js';
import { ensureBuilt, jsonReport, runCli, tempDir, writeLines } from '../support/cli.js';

const TOKEN = DEFAULT_PROJECT.token;
const SERVICE_ACCOUNT = `${DEFAULT_PROJECT.serviceAccount!.user}:${DEFAULT_PROJECT.serviceAccount!.secret}`;
const AUTH = ['--token', TOKEN, '--service-account', SERVICE_ACCOUNT, '--project-id', DEFAULT_PROJECT.id, '--backoff', '20', '--json', '--quiet'];

let tmp: ReturnType<typeof tempDir>;
let input: string;
let mixpanel: MixpanelTestServer;
const closers: Array<() => Promise<void>> = [];

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-proxy-');
  input = writeLines(tmp.file('day.ndjson'), generateMessages({ count: 40, seed: 14, mix: { track: 1, page: 0, screen: 0, identify: 0, alias: 0, group: 0 } }));
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => tmp.cleanup());

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

async function startMixpanel(): Promise<MixpanelTestServer> {
  mixpanel = await startMixpanelServer({ port: 0 });
  closers.push(() => mixpanel.close());
  return mixpanel;
}

/** A reverse proxy serving Mixpanel under `/mixpanel`: records the paths asked for, forwards without the prefix. */
async function prefixedProxy(target: number): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (!req.url?.startsWith('/mixpanel/')) {
      res.writeHead(404).end('not under /mixpanel');
      return;
    }
    const upstream = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url.slice('/mixpanel'.length), headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    req.pipe(upstream);
  });
  return { port: await listen(server), paths };
}

/** A forward proxy that tunnels CONNECT requests, recording each target. */
async function connectProxy(): Promise<{ port: number; tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { port: await listen(server), tunnels };
}

describe('§1 --api-host with a path, HTTP(S)_PROXY and NO_PROXY', () => {
  it('--api-host http://127.0.0.1:<port>/mixpanel sends to /mixpanel/import, keeping the path', async () => {
    const server = await startMixpanel();
    const proxy = await prefixedProxy(server.port);
    const result = await runCli(['import', input, ...AUTH, '--api-host', `http://127.0.0.1:${proxy.port}/mixpanel/`]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonReport(result.stdout).records.delivered).toEqual({ '/import': 40 });
    expect(proxy.paths.length).toBeGreaterThan(0);
    expect(proxy.paths.every((path) => path.startsWith('/mixpanel/import?'))).toBe(true);
  });

  it('HTTP_PROXY (for an http:// host) tunnels every request through the proxy', async () => {
    const server = await startMixpanel();
    const proxy = await connectProxy();
    const result = await runCli(['import', input, ...AUTH, '--api-host', server.url], { env: { HTTP_PROXY: `http://127.0.0.1:${proxy.port}` } });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonReport(result.stdout).records.delivered).toEqual({ '/import': 40 });
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.1:${server.port}`]));
  });

  it('NO_PROXY naming the host: the proxy is not used', async () => {
    const server = await startMixpanel();
    const proxy = await connectProxy();
    const result = await runCli(['import', input, ...AUTH, '--api-host', server.url], { env: { http_proxy: `http://127.0.0.1:${proxy.port}`, NO_PROXY: '127.0.0.1' } });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonReport(result.stdout).records.delivered).toEqual({ '/import': 40 });
    expect(proxy.tunnels).toEqual([]);
  });
});
