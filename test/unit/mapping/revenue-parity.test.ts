/**
 * Revenue as Segment's classic code read it (SPEC §4.9, README "Mapping"): money strings,
 * `properties.total` for a completed order, and a counted warning for a revenue that is not a
 * number. Each row is one track call with People on.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { REVENUE_NOT_A_NUMBER } from '../../../src/mapping/classic/revenue.js';
import { TIME_PROFILE, baseTrack, engage, expectMapped, options } from '../../support/mapping.js';

const PEOPLE = options({ people: true });

/** The $append of the track call, if any, and its warnings. */
function revenueOf(event: string, properties: JsonObject): { amounts: unknown[]; warnings: readonly string[] } {
  const result = mapMessage(baseTrack({ event, properties }), PEOPLE);
  const records = expectMapped(result).slice(1);
  const amounts = records.map((r) => ((r.record as { $append?: { $transactions: { $amount: unknown } } }).$append?.$transactions.$amount));
  return { amounts, warnings: result.outcome === 'mapped' ? result.warnings : [] };
}

describe('revenue strings with currency and thousands separators', () => {
  it.each<[string, string, number]>([
    ['a dollar sign and a thousands comma', '$1,299.00', 1299],
    ['a trailing currency code', '19.99 USD', 19.99],
    ['a leading currency code', 'EUR 45.10', 45.1],
    ['a decimal comma, a thousands dot and a euro sign', '1.299,00 €', 1299],
    ['a decimal comma alone', '12,50', 12.5],
    ['a comma followed by three digits (thousands)', '2,500', 2500],
    ['several thousands commas', '1,234,567.89', 1234567.89],
    ['several thousands dots', '1.234.567', 1234567],
    ['spaces as thousands separators', '1 299,95 €', 1299.95],
    ['a pound sign', '£7.25', 7.25],
    ['a minus before the symbol (refund)', '-$15.00', -15],
    ['surrounding spaces', '  33.30  ', 33.3],
  ])('%s: %j → %d', (_rule, revenue, amount) => {
    expect(revenueOf('Paid Invoice', { revenue })).toEqual({ amounts: [amount], warnings: [] });
  });
});

describe('a revenue that is not a number', () => {
  it.each<[string, unknown]>([
    ['words', 'twelve dollars'],
    ['a currency with no amount', 'USD'],
    ['two amounts', '5.00 - 7.00'],
    ['a boolean', true],
    ['an object', { amount: 5 }],
    ['a list', [5]],
    ['the string 1e999 (not finite)', '1e999'],
  ])('%s gives no transaction and the warning "revenue is not a number"', (_rule, revenue) => {
    expect(revenueOf('Paid Invoice', { revenue: revenue as JsonObject[string] })).toEqual({ amounts: [], warnings: [REVENUE_NOT_A_NUMBER] });
  });

  it('the number 1e999 (Infinity once decoded) gives no transaction and the warning', () => {
    const raw = JSON.parse('{"type":"track","event":"Paid Invoice","userId":"user-r1","timestamp":"2026-11-29T08:15:30.250Z","properties":{"revenue":1e999}}') as JsonObject;
    const result = mapMessage(raw, PEOPLE);
    expect(expectMapped(result)).toHaveLength(1);
    expect(result.outcome === 'mapped' && result.warnings).toEqual([REVENUE_NOT_A_NUMBER]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an empty string', ''],
    ['blank', '   '],
    ['zero', 0],
  ])('%s gives no transaction and no warning', (_rule, revenue) => {
    expect(revenueOf('Paid Invoice', { revenue: revenue as JsonObject[string] })).toEqual({ amounts: [], warnings: [] });
  });

  it('a property increment of 1e999 is not a number: no $add', () => {
    const result = mapMessage(baseTrack({ event: 'Paid Invoice', properties: { items: '1e999' } }), options({ people: true, propIncrements: ['items'] }));
    expect(expectMapped(result)).toHaveLength(1);
  });
});

describe('properties.total for a completed order without revenue', () => {
  it.each<[string, string, JsonObject, number[]]>([
    ['Order Completed takes total', 'Order Completed', { total: 88.4 }, [88.4]],
    ['Completed Order takes total', 'Completed Order', { total: '$61.20' }, [61.2]],
    ['completedorder (any case, no space) takes total', 'COMPLETEDORDER', { total: 17 }, [17]],
    ['order completed in lower case takes total', 'order completed', { total: 23.5 }, [23.5]],
    ['revenue wins over total', 'Order Completed', { revenue: 70, total: 77.7 }, [70]],
    ['a null revenue falls back to total', 'Order Completed', { revenue: null, total: 29 }, [29]],
    ['a Total key matches like any Segment key', 'Order Completed', { Total: 31 }, [31]],
    ['another event ignores total', 'Checkout Started', { total: 45 }, []],
    ['a name merely containing the words ignores total', 'Completed Order Refund', { total: 46 }, []],
  ])('%s', (_rule, event, properties, amounts) => {
    expect(revenueOf(event, properties)).toEqual({ amounts, warnings: [] });
  });

  it('a total that is not a number gives the warning', () => {
    expect(revenueOf('Order Completed', { total: 'free' })).toEqual({ amounts: [], warnings: [REVENUE_NOT_A_NUMBER] });
  });

  it('the transaction from total is a $append like any revenue', () => {
    const records = expectMapped(mapMessage(baseTrack({ event: 'Completed Order', properties: { total: 12.75 } }), PEOPLE));
    expect(records.slice(1)).toEqual([engage({ $append: { $transactions: { $time: TIME_PROFILE, $amount: 12.75 } } })]);
  });
});
