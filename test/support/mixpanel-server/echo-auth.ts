// The echoAuthorization fault: /import replies that quote the Authorization header back.
import type { Outcome } from './context.js';
import * as replies from './replies.js';
import type { FaultOptions } from './types.js';

export function echoAuthorization(mode: FaultOptions['echoAuthorization'], outcome: Outcome, header: string | undefined): Outcome {
  const quoted = `Authorization: ${header ?? '(none)'}`;
  if (mode === 'server-error') return { reply: { status: 500, body: `upstream proxy error; request headers: ${quoted}`, contentType: 'text/plain' }, records: outcome.records, ingest: [] };
  if (mode === 'unauthorized') return { reply: { ...replies.unauthorized(), body: JSON.stringify({ code: 401, error: `Invalid credentials (${quoted})`, status: 'Unauthorized' }) }, records: outcome.records, ingest: [] };
  const group = outcome.ingest[0];
  if (mode !== 'failed-records' || outcome.reply.status !== 200 || group === undefined || group.records.length === 0) return outcome;
  const [first, ...rest] = group.records as Array<{ properties?: { $insert_id?: string } }>;
  const failed = { index: 0, insert_id: first?.properties?.$insert_id ?? '', field: 'properties', message: `unexpected header ${quoted}` };
  return { ...outcome, reply: replies.importPartial(rest.length, [failed]), ingest: rest.length > 0 ? [{ ...group, records: rest }] : [] };
}
