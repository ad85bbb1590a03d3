// Validation of /engage and /groups updates (reference §5, §6).
import { MAX_RECORD_BYTES } from './defaults.js';
import { isDeniedId } from './deny-list.js';
import type { ServerProject } from './types.js';
import { isPlainObject } from './validate-values.js';

export type ProfileEndpoint = '/engage' | '/groups';

export interface ProfileCheckContext {
  endpoint: ProfileEndpoint;
  projectsByToken: ReadonlyMap<string, ServerProject>;
  /** Measure each update's JSON size (only needed when the body is at least 1 MiB). */
  checkUpdateSize: boolean;
}

export type ProfileCheck = { ok: true; project: ServerProject } | { ok: false; message: string };

const OPERATIONS = ['$set', '$set_once', '$add', '$append', '$union', '$remove', '$unset', '$delete'] as const;
type Operation = (typeof OPERATIONS)[number];
const NOT_FOR_GROUPS: ReadonlySet<string> = new Set(['$add', '$append']);

function isNonEmptyId(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function shapeProblem(op: Operation, value: unknown): string | undefined {
  switch (op) {
    case '$delete':
      return undefined;
    case '$unset':
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
        return "'$unset' must be a non-empty array of property names";
      }
      return undefined;
    default:
      break;
  }
  if (!isPlainObject(value)) return `'${op}' must be an object`;
  if (op === '$add') {
    for (const key in value) {
      const v = value[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) return `'$add' value of '${key}' must be a number`;
    }
  } else if (op === '$union') {
    for (const key in value) {
      const v = value[key];
      if (!Array.isArray(v) || v.length === 0) return `'$union' value of '${key}' must be a non-empty array`;
    }
  }
  return undefined;
}

function operationProblem(update: Record<string, unknown>, endpoint: ProfileEndpoint): string | undefined {
  const present = OPERATIONS.filter((op) => op in update);
  if (present.length === 0) return `no operation: expected exactly one of ${OPERATIONS.join(', ')}`;
  if (present.length > 1) return `more than one operation: ${present.join(', ')}`;
  const op = present[0]!;
  if (endpoint === '/groups' && NOT_FOR_GROUPS.has(op)) return `'${op}' is not supported on group profiles`;
  return shapeProblem(op, update[op]);
}

function idProblem(update: Record<string, unknown>, endpoint: ProfileEndpoint): string | undefined {
  if (endpoint === '/engage') {
    const id = update.$distinct_id;
    if (!isNonEmptyId(id)) return '$distinct_id, missing or empty';
    if (isDeniedId(String(id))) return `'$distinct_id' is invalid: value ${JSON.stringify(id)} is not allowed`;
    return undefined;
  }
  if ('$distinct_id' in update) return "'$distinct_id' is not allowed on group profile updates";
  if (typeof update.$group_key !== 'string' || update.$group_key.trim() === '') return '$group_key, missing or empty';
  if (!isNonEmptyId(update.$group_id)) return '$group_id, missing or empty';
  return undefined;
}

export function validateProfileUpdate(item: unknown, ctx: ProfileCheckContext): ProfileCheck {
  if (!isPlainObject(item)) return { ok: false, message: 'update must be a JSON object' };
  const token = item.$token;
  const project = typeof token === 'string' ? ctx.projectsByToken.get(token) : undefined;
  if (project === undefined) return { ok: false, message: '$token, missing or invalid' };
  const problem = idProblem(item, ctx.endpoint) ?? operationProblem(item, ctx.endpoint);
  if (problem !== undefined) return { ok: false, message: problem };
  if (ctx.checkUpdateSize && Buffer.byteLength(JSON.stringify(item)) > MAX_RECORD_BYTES) {
    return { ok: false, message: `update must not exceed ${MAX_RECORD_BYTES} bytes` };
  }
  return { ok: true, project };
}
