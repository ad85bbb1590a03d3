/** Property-level comparison of two records (SPEC §8): dotted paths, arrays whole, key order ignored. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { compareRecords, recordName } from '../../../src/diff/compare.js';
import type { Change } from '../../../src/diff/types.js';

describe('compareRecords', () => {
  type Case = { name: string; before: JsonObject; after: JsonObject; changes: Change[] };
  const cases: Case[] = [
    { name: 'equal records have no changes', before: { event: 'A', properties: { x: 1 } }, after: { event: 'A', properties: { x: 1 } }, changes: [] },
    { name: 'object key order is not a change', before: { event: 'A', properties: { x: 1, y: 2 } }, after: { properties: { y: 2, x: 1 }, event: 'A' }, changes: [] },
    { name: 'a changed top-level value is ~ with its key as path', before: { event: 'Loaded a Page' }, after: { event: 'Viewed Home Page' }, changes: [{ op: '~', path: 'event', before: 'Loaded a Page', after: 'Viewed Home Page' }] },
    { name: 'a nested change is reported by dotted path', before: { properties: { $os: 'iOS' } }, after: { properties: { $os: 'ios' } }, changes: [{ op: '~', path: 'properties.$os', before: 'iOS', after: 'ios' }] },
    {
      name: 'deeply nested changes keep the full path',
      before: { properties: { location: { position: { x: 1, y: 2 } } } },
      after: { properties: { location: { position: { x: 1, y: 3 } } } },
      changes: [{ op: '~', path: 'properties.location.position.y', before: 2, after: 3 }],
    },
    { name: 'a property only in after is +', before: { properties: {} }, after: { properties: { plan: 'pro' } }, changes: [{ op: '+', path: 'properties.plan', after: 'pro' }] },
    { name: 'a property only in before is -', before: { properties: { old: 1 } }, after: { properties: {} }, changes: [{ op: '-', path: 'properties.old', before: 1 }] },
    { name: 'an added object is one + with the whole object', before: {}, after: { properties: { a: { b: 1 } } }, changes: [{ op: '+', path: 'properties', after: { a: { b: 1 } } }] },
    { name: 'arrays are compared as whole values', before: { $union: { tags: ['a', 'b'] } }, after: { $union: { tags: ['b', 'a'] } }, changes: [{ op: '~', path: '$union.tags', before: ['a', 'b'], after: ['b', 'a'] }] },
    { name: 'a type change (object to scalar) is one ~', before: { properties: { p: { a: 1 } } }, after: { properties: { p: 'x' } }, changes: [{ op: '~', path: 'properties.p', before: { a: 1 }, after: 'x' }] },
    { name: 'null and missing differ', before: { properties: { t: null } }, after: { properties: {} }, changes: [{ op: '-', path: 'properties.t', before: null }] },
    { name: 'a key with a dot is bracketed so the path stays unambiguous', before: { properties: { 'a.b': 1 } }, after: { properties: { 'a.b': 2 } }, changes: [{ op: '~', path: 'properties["a.b"]', before: 1, after: 2 }] },
    {
      name: 'several changes come in before-key order, additions last',
      before: { event: 'A', properties: { old: 1, os: 'iOS' } },
      after: { event: 'B', properties: { os: 'ios', plan: 'pro' } },
      changes: [
        { op: '~', path: 'event', before: 'A', after: 'B' },
        { op: '-', path: 'properties.old', before: 1 },
        { op: '~', path: 'properties.os', before: 'iOS', after: 'ios' },
        { op: '+', path: 'properties.plan', after: 'pro' },
      ],
    },
  ];
  it.each(cases)('$name', ({ before, after, changes }) => {
    expect(compareRecords(before, after)).toEqual(changes);
  });
});

describe('recordName: what the summary groups by', () => {
  const cases = [
    { name: '/import: the event name', endpoint: '/import', record: { event: 'Signed Up', properties: {} }, expected: 'Signed Up' },
    { name: '/engage: the profile operation', endpoint: '/engage', record: { $token: 't', $distinct_id: 'u', $set_once: { a: 1 } }, expected: '$set_once' },
    { name: '/groups: the group key', endpoint: '/groups', record: { $token: 't', $group_key: 'company_id', $group_id: 'c1', $set: {} }, expected: 'company_id' },
  ] as const;
  it.each(cases)('$name', ({ endpoint, record, expected }) => {
    expect(recordName(endpoint, record)).toBe(expected);
  });
});
