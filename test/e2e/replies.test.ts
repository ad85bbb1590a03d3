/**
 * A 200 reply that is not Mixpanel's (a proxy's HTML page) does not count as delivered (issue 15;
 * README "Delivery"): it is retried, and when retries run out the run stops as fatal. The built
 * CLI against a loopback server that answers every request with an HTML page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMessages } from '../support/synth/index.js';
import { ensureBuilt, jsonReport, runCli, tempDir, writeLines } from '../support/cli.js';

let tmp: ReturnType<typeof tempDir>;
let proxy: Server;
let origin: string;
let requests = 0;

beforeAll(async () => {
  ensureBuilt();
  tmp = tempDir('mpx-replies-');
  proxy = createServer((request, response) => {
    requests += 1;
    request.resume();
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><html><body>Corporate proxy: please sign in</body></html>');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  tmp.cleanup();
});

describe("a 200 whose body is not Mixpanel's", () => {
  it('is retried, never counted as delivered; retries exhausted → fatal, exit 3, no line settled as delivered', async () => {
    const input = writeLines(join(tmp.path, 'day.ndjson'), generateMessages({ count: 300, seed: 1517 }));
    const result = await runCli(['import', input, '--api-host', origin, '--token', 'tok-replies-0123456789', '--api-secret', 'secret-replies-0123456789', '--identity', 'simplified', '--max-retries', '2', '--backoff', '1', '--json', '--quiet']);
    expect(result.code, result.stderr).toBe(3);
    const report = jsonReport(result.stdout);
    expect(report.messages.delivered).toBe(0);
    expect(report.error).toMatch(/200 from \/import without Mixpanel's reply/);
    expect(report.http.retries).toBeGreaterThanOrEqual(2);
    expect(requests).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
