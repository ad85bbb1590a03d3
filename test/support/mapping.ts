/**
 * Shared builders for the mapping tests (SPEC §3–§5). Every builder returns a fresh object, so a
 * test may spread overrides over it without affecting other tests.
 */
import { expect } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import type { IdentityMode, Settings } from '../../src/config/settings-types.js';
import type { JsonObject } from '../../src/lib/json.js';
import { mapMessage } from '../../src/mapping/index.js';
import type { MapResult, MappingOptions } from '../../src/mapping/types.js';
import type { MixpanelRecord } from '../../src/mixpanel/types.js';

/** The run start time: fixed, so the future-time check never depends on the clock. */
export const RUN_START_MS = Date.UTC(2026, 10, 30);
export const TOKEN = 'token-project-7f3a';

/** The default message time: one day before the run start. */
export const TIME_ISO = '2026-11-29T08:15:30.250Z';
export const TIME_MS = Date.UTC(2026, 10, 29, 8, 15, 30, 250);
/** TIME_MS as Mixpanel's profile date (`YYYY-MM-DDTHH:MM:SS`, UTC). */
export const TIME_PROFILE = '2026-11-29T08:15:30';

export const USER_ID = 'user-42';
export const ANONYMOUS_ID = 'anon-device-9c1e';

/** Resolved settings over the SPEC §3 defaults. */
export function settings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

export function options(settingsOverrides: Partial<Settings> = {}, identity: IdentityMode = 'original'): MappingOptions {
  return { preset: 'classic', actionsAlias: false, settings: settings(settingsOverrides), identity, token: TOKEN, runStartMs: RUN_START_MS };
}

export function baseTrack(overrides: JsonObject = {}): JsonObject {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: 'msg-track-0001',
    userId: USER_ID,
    timestamp: TIME_ISO,
    properties: {},
    context: {},
    ...overrides,
  };
}

export function basePage(type: 'page' | 'screen' = 'page', overrides: JsonObject = {}): JsonObject {
  return { type, messageId: `msg-${type}-0001`, userId: USER_ID, timestamp: TIME_ISO, properties: {}, context: {}, ...overrides };
}

export function baseIdentify(overrides: JsonObject = {}): JsonObject {
  return { type: 'identify', messageId: 'msg-identify-0001', userId: USER_ID, timestamp: TIME_ISO, traits: {}, context: {}, ...overrides };
}

export function baseGroup(overrides: JsonObject = {}): JsonObject {
  return {
    type: 'group',
    messageId: 'msg-group-0001',
    userId: USER_ID,
    groupId: 'group-acme-17',
    timestamp: TIME_ISO,
    traits: {},
    context: {},
    ...overrides,
  };
}

export function baseAlias(overrides: JsonObject = {}): JsonObject {
  return { type: 'alias', messageId: 'msg-alias-0001', previousId: ANONYMOUS_ID, userId: USER_ID, timestamp: TIME_ISO, context: {}, ...overrides };
}

/** A record without its serialised form, for `toEqual` against an expected record. */
export interface Routed {
  readonly endpoint: MixpanelRecord['endpoint'];
  readonly record: MixpanelRecord['record'];
}

/**
 * Asserts that the message was mapped and that every record's `json` is exactly
 * `JSON.stringify(record)`; returns the records without `json`.
 */
export function expectMapped(result: MapResult): Routed[] {
  expect(result.outcome, 'reason' in result ? result.reason : '').toBe('mapped');
  const records = result.outcome === 'mapped' ? result.records : [];
  for (const item of records) expect(item.json).toBe(JSON.stringify(item.record));
  return records.map(({ endpoint, record }) => ({ endpoint, record }));
}

/** Maps a message and returns its records (see expectMapped). */
export function mapRecords(raw: JsonObject, opts: MappingOptions = options()): Routed[] {
  return expectMapped(mapMessage(raw, opts));
}

/** Maps a message that must yield exactly one /import event and returns that event. */
export function mapEvent(raw: JsonObject, opts: MappingOptions = options()): { event: string; properties: JsonObject } {
  const records = mapRecords(raw, opts);
  expect(records.map((r) => r.endpoint)).toEqual(['/import']);
  return records[0]!.record as { event: string; properties: JsonObject };
}

/** Maps a track/page/screen message and returns the properties of its (first) /import event. */
export function mapProperties(raw: JsonObject, opts: MappingOptions = options()): JsonObject {
  const records = mapRecords(raw, opts);
  expect(records[0]?.endpoint).toBe('/import');
  return (records[0]!.record as { properties: JsonObject }).properties;
}

/** The records after the first (the /engage updates that follow an event). */
export function followUps(raw: JsonObject, opts: MappingOptions): Routed[] {
  const records = mapRecords(raw, opts);
  expect(records[0]?.endpoint).toBe('/import');
  return records.slice(1);
}

/** The fields every event carries (SPEC §4.0, §4.1) in original mode, for a message without context.ip (ip "0"). */
export function coreProperties(overrides: JsonObject = {}): JsonObject {
  return { time: TIME_MS, distinct_id: USER_ID, $insert_id: 'msg-track-0001', token: TOKEN, ip: '0', ...overrides };
}

/** The fields every /engage update carries (SPEC §4.8) for a message without context.ip. */
export function profileFields(overrides: JsonObject = {}): JsonObject {
  return { $token: TOKEN, $distinct_id: USER_ID, $time: TIME_MS, $ip: '0', ...overrides };
}

export function engage(operation: JsonObject, fieldOverrides: JsonObject = {}): Routed {
  return { endpoint: '/engage', record: { ...profileFields(fieldOverrides), ...operation } as Routed['record'] };
}

export function groups(fields: JsonObject): Routed {
  return { endpoint: '/groups', record: { $token: TOKEN, ...fields } as Routed['record'] };
}

export function expectSkipped(result: MapResult, reason: string): void {
  expect(result.outcome).toBe('skipped');
  expect('reason' in result ? result.reason : '').toContain(reason);
}

export function expectRejected(result: MapResult, reason: RegExp | string): void {
  expect(result.outcome).toBe('rejected');
  expect('reason' in result ? result.reason : '').toMatch(reason);
}

/** A Mixpanel-valid `$insert_id` produced by hashing: 36 characters of `[A-Za-z0-9-]`. */
export const HASHED_INSERT_ID = /^[A-Za-z0-9-]{36}$/;

/** A copy of `raw` without the given keys. */
export function without(raw: JsonObject, ...keys: string[]): JsonObject {
  const copy = { ...raw };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Mapping options under the Actions preset (SPEC §10). */
export function actionsOptions(settingsOverrides: Partial<Settings> = {}, identity: IdentityMode = 'original', actionsAlias = false): MappingOptions {
  return { ...options(settingsOverrides, identity), preset: 'actions', actionsAlias };
}
