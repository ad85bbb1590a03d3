/**
 * A message key named `__proto__` (README "Mapping": objects built from message keys have no
 * prototype). JSON.parse gives such a key as an own property; the mapping keeps it as an own
 * property holding its data, exactly as sent, and nothing inside it becomes a property of the
 * object it sits in.
 */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { Json, JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { expectMapped, options } from '../../support/mapping.js';

const LEAK_KEY = 'polluted_7b';
const PAYLOAD = { [LEAK_KEY]: 'pollution-value-7b' };
const PAYLOAD_JSON = JSON.stringify(PAYLOAD);
const TIME = '"timestamp":"2026-11-29T08:15:30.250Z"';

/** The message as JSON text: only JSON.parse makes `__proto__` an own key, as the reader does. */
function message(json: string): JsonObject {
  return JSON.parse(json) as JsonObject;
}

/** The object at `path` inside `record`. */
function objectAt(record: unknown, path: readonly string[]): Record<string, unknown> {
  let at = record as Record<string, unknown>;
  for (const key of path) at = at[key] as Record<string, unknown>;
  return at;
}

/** The keys `for…in` visits on `object`: its own and any its prototype chain would add. */
function keysIn(object: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const key in object) keys.push(key);
  return keys;
}

/** The value of the own `__proto__` data property at `path`, or a marker when there is none. */
function ownProtoAt(record: unknown, path: readonly string[]): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(objectAt(record, path), '__proto__');
  return descriptor === undefined ? 'no own __proto__' : descriptor.value;
}

type Row = [name: string, json: string, settings: Partial<Settings>, expected: ReadonlyArray<readonly [path: readonly string[], value: Json]>];

const ROWS: Row[] = [
  ['track: a property', `{"type":"track","event":"Signed Up","userId":"user-p1",${TIME},"properties":{"plan":"plan-p1","__proto__":${PAYLOAD_JSON}}}`, {}, [[['properties'], PAYLOAD]]],
  ['track: a super property (all traits)', `{"type":"track","event":"Signed Up","userId":"user-p2",${TIME},"context":{"traits":{"__proto__":${PAYLOAD_JSON},"plan":"plan-p2"}}}`, {}, [[['properties'], PAYLOAD]]],
  [
    'track: a listed super property (setAllTraitsByDefault false)',
    `{"type":"track","event":"Signed Up","userId":"user-p3",${TIME},"context":{"traits":{"__proto__":${PAYLOAD_JSON},"plan":"plan-p3"}}}`,
    { setAllTraitsByDefault: false, superProperties: ['__proto__'] },
    [[['properties'], PAYLOAD]],
  ],
  [
    'track: a property increment',
    `{"type":"track","event":"Signed Up","userId":"user-p4",${TIME},"properties":{"__proto__":4}}`,
    { people: true, propIncrements: ['__proto__'] },
    [[['properties'], 4], [['$add'], 4]],
  ],
  [
    'page: a property and a super property',
    `{"type":"page","name":"Pricing","userId":"user-p5",${TIME},"properties":{"__proto__":${PAYLOAD_JSON}},"context":{"traits":{"__proto__":"trait-p5"}}}`,
    { consolidatedPageCalls: true },
    [[['properties'], PAYLOAD]],
  ],
  ['screen: a super property', `{"type":"screen","name":"Home","userId":"user-p6",${TIME},"context":{"traits":{"__proto__":${PAYLOAD_JSON}}}}`, { consolidatedPageCalls: true }, [[['properties'], PAYLOAD]]],
  ['identify: a trait', `{"type":"identify","userId":"user-p7",${TIME},"traits":{"__proto__":${PAYLOAD_JSON},"plan":"plan-p7"}}`, { people: true }, [[['$set'], PAYLOAD]]],
  [
    'identify: a nested trait key',
    `{"type":"identify","userId":"user-p8",${TIME},"traits":{"address":{"__proto__":${PAYLOAD_JSON},"city":"city-p8"}}}`,
    { people: true },
    [[['$set', 'address'], PAYLOAD]],
  ],
  [
    'identify: a listed people property (setAllTraitsByDefault false)',
    `{"type":"identify","userId":"user-p9",${TIME},"traits":{"__proto__":${PAYLOAD_JSON},"email":"p9@example.com"}}`,
    { people: true, setAllTraitsByDefault: false, peopleProperties: ['__proto__'] },
    [[['$set'], PAYLOAD]],
  ],
  [
    'group: a group trait',
    `{"type":"group","userId":"user-p10","groupId":"group-p10",${TIME},"traits":{"company_id":"company-p10","__proto__":${PAYLOAD_JSON}}}`,
    { groupIdentifierTraits: ['company_id'] },
    [[['$set'], PAYLOAD]],
  ],
  [
    'group: a set-once group trait',
    `{"type":"group","userId":"user-p11","groupId":"group-p11",${TIME},"traits":{"company_id":"company-p11","__proto__":${PAYLOAD_JSON}}}`,
    { groupIdentifierTraits: ['company_id'], groupTraitsToSetOnce: ['__proto__'] },
    [[['$set'], 'no own __proto__'], [['$set_once'], PAYLOAD]],
  ],
  [
    'alias: context traits are not part of $create_alias',
    `{"type":"alias","previousId":"anon-p12","userId":"user-p12",${TIME},"context":{"traits":{"__proto__":${PAYLOAD_JSON}}}}`,
    {},
    [[['properties'], 'no own __proto__']],
  ],
];

describe('a key named __proto__ never changes what is sent', () => {
  it.each(ROWS)('%s: kept as an own property holding its value, nothing inside it leaks', (_name, json, settings, expected) => {
    const result = mapMessage(message(json), options(settings));
    const records = expectMapped(result);
    const serialised = result.outcome === 'mapped' ? result.records.map((r) => r.json) : [];
    expect(records).toHaveLength(expected.length);
    for (const [i, [path, value]] of expected.entries()) {
      const sent: unknown = JSON.parse(serialised[i]!);
      expect(ownProtoAt(sent, path), `record ${i} as sent`).toEqual(value);
      expect(ownProtoAt(records[i]!.record, path), `record ${i} in memory`).toEqual(value);
      expect(keysIn(objectAt(records[i]!.record, path))).not.toContain(LEAK_KEY);
      expect(keysIn(objectAt(sent, path))).not.toContain(LEAK_KEY);
    }
  });
});
