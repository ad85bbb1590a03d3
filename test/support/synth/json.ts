/**
 * Fast serialisation for the generator. Objects shared by many messages (a user's device,
 * app, location, a library descriptor, …) are serialised once and reused; message and context
 * objects are written key by key in a fixed order. The output is exactly what JSON.stringify
 * would give for the same key order.
 */

const cache = new WeakMap<object, string>();

/** A value that is already JSON text; the serialiser copies it verbatim. */
export class RawJson {
  constructor(readonly json: string) {}
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** JSON text of any value the generator produces (uses the shared-object cache). */
export function toJson(v: unknown): string {
  return value(v) ?? 'null';
}

/** Freeze `value` and remember its JSON; it must never change afterwards. */
export function shared<T extends object>(value: T): T {
  cache.set(value, JSON.stringify(value));
  return Object.freeze(value);
}

/**
 * JSON for a string. Every string the generator makes comes from its own catalogues, ids and
 * dates, none of which contains a quote, a backslash, a control character or a lone
 * surrogate, so no escaping is needed; test/synth.test.ts checks that every generated line
 * equals JSON.stringify(JSON.parse(line)).
 */
export function str(v: string): string {
  return '"' + v + '"';
}

function value(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      const cached = cache.get(v);
      if (cached !== undefined) return cached;
      if (v instanceof RawJson) return v.json;
      if (Array.isArray(v)) return array(v);
      const proto: unknown = Object.getPrototypeOf(v);
      return proto === Object.prototype || proto === null ? stringifyShallow(v as Record<string, unknown>) : JSON.stringify(v);
    }
    default:
      return undefined;
  }
}

function array(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + (value(items[i]) ?? 'null');
  return out + ']';
}

const quotedKeys = new Map<string, string>();
function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key) + ':';
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

const orderSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function setOf(order: readonly string[]): ReadonlySet<string> {
  let set = orderSets.get(order);
  if (set === undefined) {
    set = new Set(order);
    orderSets.set(order, set);
  }
  return set;
}

/**
 * JSON for a plain object (nested plain objects and arrays included): keys in `order` first
 * (when defined), then the rest in insertion order; `undefined` members are left out.
 */
export function stringifyShallow(obj: Record<string, unknown>, order?: readonly string[]): string {
  let out = '{';
  let first = true;
  if (order) {
    for (const key of order) {
      const s = value(obj[key]);
      if (s === undefined) continue;
      out += (first ? '' : ',') + quoted(key) + s;
      first = false;
    }
  }
  const known = order ? setOf(order) : undefined;
  for (const key in obj) {
    if (known?.has(key)) continue;
    const s = value(obj[key]);
    if (s === undefined) continue;
    out += (first ? '' : ',') + quoted(key) + s;
    first = false;
  }
  return out + '}';
}

const DAY_CACHE_LIMIT = 4096;
const minuteCache = new Map<number, string>();

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** `new Date(ms).toISOString()` for the dates the generator makes, with a per-minute prefix cache. */
export function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000);
  let prefix = minuteCache.get(minute);
  if (prefix === undefined) {
    if (minuteCache.size >= DAY_CACHE_LIMIT) minuteCache.clear();
    prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    minuteCache.set(minute, prefix);
  }
  const rest = ms - minute * 60_000;
  return `${prefix}${pad(Math.floor(rest / 1000), 2)}.${pad(rest % 1000, 3)}Z`;
}
