/**
 * SPEC §10: where Actions' live behaviour is unsafe for a replay, the preset deviates; one test
 * per deviation (README "Replaying a workspace that uses Mixpanel (Actions)", docs/actions.md).
 * The live behaviour each one replaces is visible in segmentio/action-destinations
 * packages/destination-actions/src/destinations/mixpanel/trackEvent/functions.ts (Date.now(),
 * cheapGuid()) and identifyUser/index.ts (/track without time).
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../src/lib/json.js';
import { mapMessage } from '../../../../src/mapping/index.js';
import {
  ANONYMOUS_ID, HASHED_INSERT_ID, TIME_MS, USER_ID, actionsOptions, baseIdentify, basePage, baseTrack, expectRejected, mapProperties, mapRecords, without,
} from '../../../support/mapping.js';

type Event = { event: string; properties: JsonObject };

describe('§10 replay-safe deviations of the Actions preset', () => {
  it('§10 a message without any time is rejected, never stamped "now"', () => {
    expectRejected(mapMessage(without(baseTrack(), 'timestamp'), actionsOptions()), /no timestamp/);
  });

  it('§10 an unparseable timestamp is rejected, never stamped "now"', () => {
    expectRejected(mapMessage(baseTrack({ timestamp: 'yesterday-ish' }), actionsOptions()), /is not an ISO-8601 date/);
  });

  it('§10 without messageId the $insert_id is deterministic (same message, same id), not random', () => {
    const raw = without(baseTrack({ event: 'No Id Event' }), 'messageId');
    const first = mapProperties(raw, actionsOptions()).$insert_id;
    expect(first).toMatch(HASHED_INSERT_ID);
    expect(mapProperties({ ...raw }, actionsOptions()).$insert_id).toBe(first);
  });

  it('§10 an over-long messageId (ajs-next-…, 41+ characters) gives a 36-character derived $insert_id, not the failing original', () => {
    const messageId = 'ajs-next-1795738318005-6c0e023cd88a-9f26-4a69';
    const insertId = mapProperties(baseTrack({ messageId }), actionsOptions()).$insert_id;
    expect(insertId).toMatch(HASHED_INSERT_ID);
    expect(insertId).not.toBe(messageId);
  });

  it('§10 Product Purchased ids stay valid and distinct when "i + order id" would be over 36 characters', () => {
    const raw = baseTrack({ event: 'Order Completed', messageId: 'c8d888d8-1c1a-ad9b-492f-806ba4902cea', properties: { products: [{ sku: 'a' }, { sku: 'b' }] } });
    const ids = mapRecords(raw, actionsOptions()).map((r) => (r.record as unknown as Event).properties.$insert_id);
    expect(ids[0]).toBe('c8d888d8-1c1a-ad9b-492f-806ba4902cea');
    for (const id of ids.slice(1)) expect(id).toMatch(HASHED_INSERT_ID);
    expect(new Set(ids).size).toBe(3);
  });

  it('§10 an event without context.ip gets ip "0" (Actions sends none, and /import would geolocate the replaying machine)', () => {
    expect(mapProperties(basePage('screen', { name: 'Home' }), actionsOptions()).ip).toBe('0');
  });

  it('§10 the $identify event goes to /import with the message time and a deterministic $insert_id', () => {
    const raw = without(baseIdentify({ anonymousId: ANONYMOUS_ID }), 'messageId');
    const [first] = mapRecords(raw, actionsOptions());
    const [again] = mapRecords({ ...raw }, actionsOptions());
    expect(first!.endpoint).toBe('/import');
    const properties = (first!.record as unknown as Event).properties;
    expect(properties.time).toBe(TIME_MS);
    expect(properties.$insert_id).toMatch(HASHED_INSERT_ID);
    expect((again!.record as unknown as Event).properties.$insert_id).toBe(properties.$insert_id);
  });

  it('§10 the /engage $set carries the message time and $ip "0" without context.ip', () => {
    const [update] = mapRecords(baseIdentify({ traits: { plan: 'gold' } }), actionsOptions());
    expect(update!.record).toMatchObject({ $time: TIME_MS, $ip: '0' });
  });

  it('§10 a $identify is not sent without userId (it would link nothing)', () => {
    expect(mapRecords(baseIdentify({ userId: null, anonymousId: ANONYMOUS_ID, traits: { plan: 'x' } }), actionsOptions()).map((r) => r.endpoint)).toEqual(['/engage']);
  });

  describe('§5 simplified identity mode', () => {
    const simplified = actionsOptions({}, 'simplified');

    it('§10 never sends $identify; the profile $set uses the userId', () => {
      const records = mapRecords(baseIdentify({ anonymousId: ANONYMOUS_ID, traits: { plan: 'pro' } }), simplified);
      expect(records.map((r) => [r.endpoint, (r.record as unknown as { $distinct_id?: string }).$distinct_id])).toEqual([['/engage', USER_ID]]);
    });

    it('§10 an anonymous identify sends nothing (skipped "anonymous profile")', () => {
      const result = mapMessage(baseIdentify({ userId: null, anonymousId: ANONYMOUS_ID, traits: { plan: 'pro' } }), simplified);
      expect(result).toMatchObject({ outcome: 'skipped', reason: 'anonymous profile' });
    });

    it('§10 a track named $identify or $create_alias is rejected', () => {
      for (const event of ['$identify', '$create_alias']) expectRejected(mapMessage(baseTrack({ event }), simplified), /identity event/);
    });

    it('§10 an anonymous event has distinct_id "$device:<anonymousId>" (the shared identity rule) and $device_id', () => {
      const properties = mapProperties(baseTrack({ userId: null, anonymousId: ANONYMOUS_ID }), simplified);
      expect(properties).toMatchObject({ distinct_id: `$device:${ANONYMOUS_ID}`, id: `$device:${ANONYMOUS_ID}`, $device_id: ANONYMOUS_ID });
    });
  });
});
