// Public API of the Mixpanel-compatible test server.
export { startMixpanelServer } from './server.js';
export { DEFAULT_PROJECT } from './defaults.js';
export type {
  AcceptedRecord,
  FaultOptions,
  MixpanelTestServer,
  RequestLogEntry,
  ServerOptions,
  ServerHooks,
  ServerProject,
  ServerStats,
} from './types.js';
