/** Deliberately broken input lines, one kind after another. */
import * as M from './messages.js';
import { serializeMessage } from './envelope.js';

export const BAD_LINE_KINDS = [
  'not-json',
  'json-array',
  'json-string',
  'unsupported-type',
  'missing-timestamp',
  'missing-ids',
  'alias-to-self',
  'invalid-timestamp',
] as const;

export type BadLineKind = (typeof BAD_LINE_KINDS)[number];

export function badLine(s: M.GenState, kind: BadLineKind, receivedMs: number): string {
  switch (kind) {
    case 'not-json':
      return '{"type":"track",';
    case 'json-array':
      return '[1,2]';
    case 'json-string':
      return '"hello"';
    case 'unsupported-type': {
      const m = M.track(s, receivedMs).message;
      m['type'] = 'page_view';
      return serializeMessage(m);
    }
    case 'missing-timestamp': {
      const m = M.track(s, receivedMs).message;
      m['timestamp'] = undefined;
      m['originalTimestamp'] = undefined;
      m['receivedAt'] = undefined;
      m['sentAt'] = undefined;
      return serializeMessage(m);
    }
    case 'missing-ids': {
      const m = M.track(s, receivedMs).message;
      m['userId'] = undefined;
      m['anonymousId'] = undefined;
      return serializeMessage(m);
    }
    case 'alias-to-self': {
      const user = M.pickUser(s.rng, s.users);
      const m = {
        type: 'alias', previousId: user.userId, userId: user.userId, channel: 'server',
        context: { library: { name: 'analytics-node', version: '2.1.0' } }, integrations: {},
        messageId: `node-next-${receivedMs}-${s.rng.uuid()}`, timestamp: new Date(receivedMs).toISOString(),
        receivedAt: new Date(receivedMs).toISOString(), version: 2,
      };
      return serializeMessage(m);
    }
    case 'invalid-timestamp': {
      const m = M.track(s, receivedMs).message;
      m['timestamp'] = 'not a date';
      return serializeMessage(m);
    }
  }
}
