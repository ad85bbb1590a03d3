// POST /import: auth, size, parse, rate limit, strict validation, partial ingest.
import { authenticate, type AuthResult } from './auth.js';
import { isTruthyFlag, type HandlerInput, type Outcome, type ServerContext } from './context.js';
import { MAX_RECORD_BYTES } from './defaults.js';
import { parseImportBody } from './parse.js';
import * as replies from './replies.js';
import {
  hasIdentityEvent,
  IDENTITY_EVENTS,
  SIMPLIFIED_IDENTITY_MESSAGE,
  validateImportEvent,
  type ImportCheckContext,
} from './validate-import.js';
import { isPlainObject } from './validate-values.js';

function resolveAuth(ctx: ServerContext, input: HandlerInput): AuthResult | undefined {
  const projectId = input.url.searchParams.get('project_id');
  const auth = authenticate(ctx.projects, input.headers.authorization, projectId);
  if (auth !== undefined || ctx.requireAuth) return auth;
  const project = ctx.projects.find((p) => p.id === projectId) ?? ctx.projects[0];
  return project === undefined ? undefined : { project, kind: 'none' };
}

function isIdentityEvent(item: unknown): boolean {
  return isPlainObject(item) && typeof item.event === 'string' && IDENTITY_EVENTS.has(item.event);
}

export function handleImport(ctx: ServerContext, input: HandlerInput): Outcome {
  const auth = resolveAuth(ctx, input);
  if (auth === undefined) return { reply: replies.unauthorized(), records: 0, ingest: [] };
  const { project, kind: authKind } = auth;
  const fail = (reply: replies.Reply, records = 0): Outcome => ({ reply, records, ingest: [], authKind });

  const body = input.body;
  if (!body.ok) {
    return fail(body.problem === 'too-large' ? replies.tooLarge(ctx.maxBodyBytes) : replies.badRequest(body.message));
  }
  const parsed = parseImportBody(body.data, String(input.headers['content-type'] ?? ''));
  if (!parsed.ok) return fail(replies.badRequest(parsed.reason));
  const items = parsed.items;
  const n = items.length;
  if (n > ctx.maxRecords) {
    return fail(replies.badRequest(`too many records in request: ${n} > ${ctx.maxRecords}`), n);
  }
  if (ctx.limiter !== undefined && !ctx.limiter.tryTake(new Map([[project.id, n]]))) {
    return fail(replies.tooManyRequests(ctx.faults.retryAfterSeconds), n);
  }

  const strict = isTruthyFlag(input.url.searchParams.get('strict'));
  const simplified = project.identity === 'simplified';
  if (simplified && strict && hasIdentityEvent(items)) {
    // Observed live: the whole batch fails, failed_records holds a plain string.
    return fail(replies.importPartial(0, [SIMPLIFIED_IDENTITY_MESSAGE]), n);
  }

  const check: ImportCheckContext = {
    identity: simplified ? 'simplified' : 'original',
    nowMs: ctx.now(),
    bodyHadBadBytes: !parsed.validUtf8,
    checkEventSize: body.data.length >= MAX_RECORD_BYTES,
  };
  const valid: unknown[] = [];
  const failed: replies.FailedRecord[] = [];
  for (let index = 0; index < n; index++) {
    const lineError = parsed.lineErrors?.get(index);
    if (lineError !== undefined) {
      failed.push({ index, insert_id: '', field: 'event', message: `'event' is invalid: ${lineError}` });
      continue;
    }
    const item = items[index];
    // Non-strict simplified project: identity events are ignored, as the docs say.
    if (simplified && isIdentityEvent(item)) continue;
    const failure = validateImportEvent(item, index, check);
    if (failure === undefined) valid.push(item);
    else failed.push(failure);
  }

  const ingest = valid.length > 0 ? [{ projectId: project.id, records: valid }] : [];
  const reply =
    strict && failed.length > 0 ? replies.importPartial(valid.length, failed) : replies.importOk(valid.length);
  return { reply, records: n, ingest, authKind };
}
