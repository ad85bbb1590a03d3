// POST /engage and /groups: token in the payload, all-or-nothing validation.
//
// Decision: a request is all-or-nothing. If any update is invalid nothing is ingested and the
// reply is HTTP 200 {"status":0,"error":"update <index>: <message>"} (`0` without verbose=1),
// naming the first invalid update. Mixpanel documents a 200 even on validation problems and
// does not document partial ingestion for these endpoints, so a client must treat status 0 as
// "nothing from this request was stored". Body problems (unparseable, empty, too many records)
// also answer 200 with status 0; only an oversized body (413), the rate limiter (429) and
// injected faults use other HTTP statuses.
import { isTruthyFlag, type HandlerInput, type IngestGroup, type Outcome, type ServerContext } from './context.js';
import { MAX_RECORD_BYTES } from './defaults.js';
import { parseProfileBody } from './parse.js';
import * as replies from './replies.js';
import { validateProfileUpdate, type ProfileEndpoint } from './validate-profile.js';
import { isPlainObject } from './validate-values.js';

/** Records per project, by the `$token` of each update (unknown tokens are not counted). */
function countByProject(ctx: ServerContext, items: unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const token = isPlainObject(item) ? item.$token : undefined;
    const project = typeof token === 'string' ? ctx.projectsByToken.get(token) : undefined;
    if (project !== undefined) counts.set(project.id, (counts.get(project.id) ?? 0) + 1);
  }
  return counts;
}

export function handleProfile(ctx: ServerContext, endpoint: ProfileEndpoint, input: HandlerInput): Outcome {
  const verbose = isTruthyFlag(input.url.searchParams.get('verbose'));
  const fail = (error: string, records = 0): Outcome => ({
    reply: replies.profileReply(verbose, error),
    records,
    ingest: [],
    authKind: 'none',
  });

  const body = input.body;
  if (!body.ok) {
    if (body.problem === 'too-large') return { reply: replies.tooLarge(ctx.maxBodyBytes), records: 0, ingest: [] };
    return fail(body.message);
  }
  const parsed = parseProfileBody(body.data);
  if (!parsed.ok) return fail(parsed.reason);
  const items = parsed.items;
  const n = items.length;
  if (n > ctx.maxRecords) return fail(`too many records in request: ${n} > ${ctx.maxRecords}`, n);
  if (ctx.limiter !== undefined && !ctx.limiter.tryTake(countByProject(ctx, items))) {
    return { reply: replies.tooManyRequests(ctx.faults.retryAfterSeconds), records: n, ingest: [], authKind: 'token' };
  }

  const check = { endpoint, projectsByToken: ctx.projectsByToken, checkUpdateSize: body.data.length >= MAX_RECORD_BYTES };
  // Runs of consecutive updates of the same project, so arrival order is kept.
  const groups: IngestGroup[] = [];
  for (let index = 0; index < n; index++) {
    const item = items[index];
    const result = validateProfileUpdate(item, check);
    if (!result.ok) return fail(`update ${index}: ${result.message}`, n);
    const id = result.project.id;
    const last = groups[groups.length - 1];
    if (last !== undefined && last.projectId === id) last.records.push(item);
    else groups.push({ projectId: id, records: [item] });
  }
  return { reply: replies.profileReply(verbose, null), records: n, ingest: groups, authKind: 'token' };
}
