// One request from arrival to reply: route, body, faults, handler, ingest, latency, ack.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody } from './body.js';
import type { IngestGroup, Outcome, ServerContext } from './context.js';
import type { FaultKind } from './faults.js';
import { echoAuthorization } from './echo-auth.js';
import { handleImport } from './handle-import.js';
import { handleProfile } from './handle-profile.js';
import * as replies from './replies.js';
import type { AcceptedRecord, Endpoint, RequestLogEntry } from './types.js';

const ENDPOINTS: ReadonlySet<string> = new Set(['/import', '/engage', '/groups']);

function send(res: ServerResponse, reply: replies.Reply): void {
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    ...reply.headers,
  });
  res.end(reply.body);
}

function faultReply(ctx: ServerContext, kind: Exclude<FaultKind, 'drop'>): replies.Reply {
  if (kind === '429' || kind === 'burst429') return replies.tooManyRequests(ctx.faults.retryAfterSeconds);
  return replies.serverError(kind === '503' ? 503 : 500);
}

/** Stores the records; ackedAtMs stays Infinity until the reply is written. */
function ingest(ctx: ServerContext, endpoint: Endpoint, groups: IngestGroup[], arrivedAtMs: number, requestId: number) {
  const stored: AcceptedRecord[] = [];
  const accepted = ctx.store.accepted;
  for (const group of groups) {
    for (const record of group.records) {
      const entry: AcceptedRecord = {
        endpoint,
        projectId: group.projectId,
        record,
        arrivedAtMs,
        ackedAtMs: Number.POSITIVE_INFINITY,
        requestId,
      };
      accepted.push(entry);
      stored.push(entry);
    }
  }
  return stored;
}

export async function serveRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = ctx.store.nextRequestId();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const log: RequestLogEntry = {
    requestId, endpoint: path, status: 0, records: 0, rawBytes: 0, wireBytes: 0, gzip: false, arrivedAtMs: 0, ackedAtMs: 0,
  };
  if (!ENDPOINTS.has(path) || req.method !== 'POST') {
    req.resume();
    const reply = ENDPOINTS.has(path) ? replies.methodNotAllowed() : replies.notFound();
    log.status = reply.status;
    log.arrivedAtMs = log.ackedAtMs = ctx.now();
    ctx.store.requests.push(log);
    send(res, reply);
    return;
  }
  const endpoint = path as Endpoint;
  const body = await readBody(req, ctx.maxBodyBytes);
  log.wireBytes = body.wireBytes;
  log.rawBytes = body.ok ? body.data.length : 0;
  log.gzip = body.gzip;
  ctx.store.requests.push(log);

  const fault = ctx.faults.decide(requestId);
  if (fault.kind !== undefined) log.fault = fault.kind;
  const dropNow = fault.kind === 'drop' && !ctx.faults.dropAfterIngest;
  if (dropNow) {
    log.arrivedAtMs = log.ackedAtMs = ctx.now();
    req.socket.destroy();
    return;
  }
  let outcome: Outcome;
  const forced = ctx.hooks.onRequest?.(log);
  if (forced !== undefined) {
    outcome = { reply: forced === 401 ? replies.unauthorized() : replies.serverError(503), records: 0, ingest: [] };
  } else if (fault.kind !== undefined && fault.kind !== 'drop') {
    outcome = { reply: faultReply(ctx, fault.kind), records: 0, ingest: [] };
  } else {
    const input = { url, headers: req.headers, body };
    outcome = endpoint === '/import' ? handleImport(ctx, input) : handleProfile(ctx, endpoint, input);
    if (endpoint === '/import' && ctx.faults.echoAuthorization !== undefined) outcome = echoAuthorization(ctx.faults.echoAuthorization, outcome, req.headers.authorization);
  }
  const arrivedAtMs = ctx.now();
  const stored = ingest(ctx, endpoint, outcome.ingest, arrivedAtMs, requestId);
  log.records = outcome.records;
  log.arrivedAtMs = arrivedAtMs;
  if (outcome.authKind !== undefined) log.authKind = outcome.authKind;
  ctx.hooks.onStored?.(log, stored);
  if (fault.kind === 'drop') {
    // dropAfterIngest: the records are stored but never acknowledged (ackedAtMs stays Infinity).
    log.fault = 'drop-after-ingest';
    log.ackedAtMs = ctx.now();
    req.socket.destroy();
    return;
  }
  const delay = ctx.latencyMs + fault.slowMs;
  if (delay > 0) await sleep(delay);
  send(res, outcome.reply);
  const ackedAtMs = ctx.now();
  for (const entry of stored) entry.ackedAtMs = ackedAtMs;
  log.status = outcome.reply.status;
  log.ackedAtMs = ackedAtMs;
}
