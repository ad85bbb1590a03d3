import { isObject, type Json, type JsonObject } from '../lib/json.js';
import type { Change, Endpoint } from './types.js';

/** Mixpanel profile operations, in the order a record's name is looked for. */
const PROFILE_OPERATIONS = ['$set', '$set_once', '$add', '$append', '$union', '$remove', '$unset', '$delete'] as const;

/**
 * Property-level differences between two records: objects are walked key by key and reported
 * by dotted path; anything else (strings, numbers, arrays, null, a type change) is compared as a
 * whole value. Key order never counts as a difference.
 */
export function compareRecords(before: JsonObject, after: JsonObject): Change[] {
  const changes: Change[] = [];
  walk(before, after, '', changes);
  return changes;
}

/** Deep equality of JSON values; object key order is ignored, array order is not. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i] as Json));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key] as Json, b[key] as Json));
  }
  return false;
}

/** What the summary groups a record by (README "Dry run and diff" "per event name and endpoint"). */
export function recordName(endpoint: Endpoint, record: JsonObject): string {
  if (endpoint === '/import') return typeof record.event === 'string' ? record.event : '(no event)';
  if (endpoint === '/groups') return typeof record.$group_key === 'string' ? record.$group_key : '(no $group_key)';
  return PROFILE_OPERATIONS.find((op) => Object.hasOwn(record, op)) ?? '(no operation)';
}

/** `properties.$os`; keys that would be ambiguous in a dotted path are bracketed: `properties["a.b"]`. */
export function joinPath(parent: string, key: string): string {
  const plain = /^[^.[\]"\s]+$/.test(key);
  if (!plain) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

// --- internal ---

function walk(before: Json, after: Json, path: string, out: Change[]): void {
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before)) {
      const child = joinPath(path, key);
      if (Object.hasOwn(after, key)) walk(before[key] as Json, after[key] as Json, child, out);
      else out.push({ op: '-', path: child, before: before[key] as Json });
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) out.push({ op: '+', path: joinPath(path, key), after: after[key] as Json });
    }
    return;
  }
  if (!jsonEqual(before, after)) out.push({ op: '~', path, before, after });
}
