/**
 * Deep nesting (docs/architecture.md "Nesting"): a message nested deeper than MAX_MESSAGE_DEPTH is
 * one rejected line, found without recursion, before any recursive walk (mapping, rejects file,
 * diff reader) sees it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_DEPTH, nestedDeeperThan } from '../../../src/lib/json-depth.js';
import { processLine } from '../../../src/mapper/process-line.js';
import { formatReject } from '../../../src/run/rejects-file.js';
import { parseDryRecord } from '../../../src/diff/read-records.js';
import { NO_FILTER } from '../../../src/config/filter.js';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.js';
import type { Json } from '../../../src/lib/json.js';

/** `levels` nested objects (`{"a":{"a":…}}`) or lists around `leaf`: the text has `levels` levels. */
function nested(levels: number, kind: 'object' | 'list', leaf = '1'): string {
  const open = kind === 'object' ? '{"a":' : '[';
  const close = kind === 'object' ? '}' : ']';
  return `${open.repeat(levels)}${leaf}${close.repeat(levels)}`;
}

const REASON = `nesting deeper than ${MAX_MESSAGE_DEPTH} levels`;

describe('nestedDeeperThan', () => {
  it.each([
    { name: 'objects at the limit', text: nested(MAX_MESSAGE_DEPTH, 'object'), deeper: false },
    { name: 'objects one past it', text: nested(MAX_MESSAGE_DEPTH + 1, 'object'), deeper: true },
    { name: 'lists at the limit', text: nested(MAX_MESSAGE_DEPTH, 'list'), deeper: false },
    { name: 'lists one past it', text: nested(MAX_MESSAGE_DEPTH + 1, 'list'), deeper: true },
    { name: 'objects and lists mixed, 100,000 levels', text: `{"x":${nested(50_000, 'list', nested(50_000, 'object'))}}`, deeper: true },
    { name: 'many brackets inside strings, shallow', text: JSON.stringify({ s: '{['.repeat(500), t: ['{'] }), deeper: false },
    { name: 'many wide siblings, shallow', text: JSON.stringify({ list: Array.from({ length: 300 }, (_, i) => ({ i, inner: [i] })) }), deeper: false },
    { name: 'a deep branch after shallow ones', text: `{"a":[1,{"b":2}],"z":${nested(MAX_MESSAGE_DEPTH, 'object')}}`, deeper: true },
  ])('$name: $deeper', ({ text, deeper }) => {
    expect(nestedDeeperThan(JSON.parse(text) as Json, text, MAX_MESSAGE_DEPTH)).toBe(deeper);
  });
});

const MAPPING = { preset: 'classic' as const, actionsAlias: false, settings: { ...DEFAULT_SETTINGS, people: true }, identity: 'original' as const, token: 't', runStartMs: Date.UTC(2026, 10, 30) };

/** A message with a 10,000-level value at `field`, the rest of it valid. */
function deepMessage(messageId: string | null, field: 'properties' | 'traits' | 'context'): string {
  const head = JSON.stringify({ type: field === 'traits' ? 'identify' : 'track', event: 'Deep', userId: 'user-1', timestamp: '2026-11-29T10:00:00Z', ...(messageId !== null && { messageId }) });
  return `${head.slice(0, -1)},"${field}":${nested(10_000, 'object', '"2026-01-01T00:00:00Z"')}}`;
}

describe('a 10,000-level message is one rejected line', () => {
  it.each([
    { messageId: 'm-deep', field: 'properties' as const, type: 'track' },
    { messageId: null, field: 'properties' as const, type: 'track' },
    { messageId: null, field: 'traits' as const, type: 'identify' },
    { messageId: 'm-ctx', field: 'context' as const, type: 'track' },
  ])('processLine: messageId $messageId, deep $field → rejected at input with the reason, type and messageId', ({ messageId, field, type }) => {
    const text = deepMessage(messageId, field);
    const line = processLine({ kind: 'line', file: 'f.ndjson', line: 4, text }, MAPPING, NO_FILTER);
    expect(line).toEqual({ kind: 'settled', ref: { file: 'f.ndjson', line: 4, messageId }, type, outcome: { kind: 'rejected', type, stage: 'input', reason: REASON }, text });
  });

  it('the rejects file line holds the original message text as JSON, and secrets are still redacted', () => {
    const text = deepMessage('m-deep', 'properties').replace('"user-1"', '"secret-token-1"');
    const line = formatReject({ file: 'f.ndjson', line: 4, messageId: 'm-deep' }, 'input', REASON, text, ['secret-token-1']);
    expect(line.startsWith('{"file":"f.ndjson","line":4,"messageId":"m-deep","stage":"input","reason":"nesting deeper than 100 levels","message":{"type":"track"')).toBe(true);
    expect(line.endsWith(`${text.slice(text.indexOf('"properties"')).replace(/}$/, '')}}}\n`)).toBe(true);
    expect(line).not.toContain('secret-token-1');
    expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('a rejects line of a shallow message is unchanged: the message decoded and written again', () => {
    const line = formatReject({ file: 'f.ndjson', line: 2, messageId: null }, 'mapping', 'r', '{"type": "track",  "n": 1.0}', []);
    expect(line).toBe('{"file":"f.ndjson","line":2,"messageId":null,"stage":"mapping","reason":"r","message":{"type":"track","n":1}}\n');
  });

  it('the diff reader calls a 10,000-level dry-run record malformed', () => {
    const text = `{"endpoint":"/import","file":"f","line":1,"messageId":null,"record":${nested(10_000, 'object')}}`;
    expect(parseDryRecord(text)).toBe(REASON);
  });
});
