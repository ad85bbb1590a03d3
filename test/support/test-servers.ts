/**
 * One Mixpanel test server per test for an end-to-end test file: `server()` starts one on
 * 127.0.0.1 and a free port, and every server started during a test is closed after it.
 */
import { afterEach } from 'vitest';
import { startMixpanelServer, type MixpanelTestServer, type ServerOptions } from './mixpanel-server/index.js';

export function useTestServers(): (options?: ServerOptions) => Promise<MixpanelTestServer> {
  let servers: MixpanelTestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  return async (options = {}) => {
    const started = await startMixpanelServer({ ...options, port: 0 });
    servers.push(started);
    return started;
  };
}
