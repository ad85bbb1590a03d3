// Default configuration of the test server.
import type { ServerProject } from './types.js';

export const DEFAULT_PROJECT: ServerProject = {
  id: '1000001',
  token: '0123456789abcdef0123456789abcdef',
  apiSecret: 'secret-abcdef0123456789abcdef0123',
  serviceAccount: { user: 'sa-user.mpx', secret: 'sa-secret-xyz' },
  identity: 'original',
};

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_RECORDS = 2000;
/** "Each event / update must be smaller than 1 MB": we use 1 MiB. */
export const MAX_RECORD_BYTES = 1024 * 1024;
export const DEFAULT_SLOW_MS = 1000;
