import type { Json, JsonObject } from '../../lib/json.js';
import { lookup } from '../../segment/keys.js';

/** A decimal number as text: sign, digits with an optional point, an optional exponent. */
export const NUMERIC_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The warning of a revenue that is present but not a number (counted in the report). */
export const REVENUE_NOT_A_NUMBER = 'revenue is not a number';

/** Events of Segment's e-commerce spec whose `total` is the revenue when there is no `revenue`. */
const ORDER_COMPLETED = /^(completed ?order|order completed)$/i;

/**
 * The amount of a transaction (README "Mapping"): `properties.revenue`, or for a completed order
 * without one `properties.total`; a number or a money string (`"$1,299.00"`, `"19.99 USD"`,
 * `"1.299,00 €"`). Returns null when there is no amount (absent, null, blank) and
 * REVENUE_NOT_A_NUMBER when there is one that is not a finite number.
 */
export function revenueAmount(properties: JsonObject, event: string): number | null | typeof REVENUE_NOT_A_NUMBER {
  let value = lookup(properties, 'revenue');
  if (isAbsent(value) && ORDER_COMPLETED.test(event)) value = lookup(properties, 'total');
  if (isAbsent(value)) return null;
  const amount = typeof value === 'number' ? value : typeof value === 'string' ? parseMoney(value) : null;
  return amount !== null && Number.isFinite(amount) ? amount : REVENUE_NOT_A_NUMBER;
}

/**
 * A money string as a number, or null: currency symbols and a leading or trailing 3-letter
 * code are removed, then the last of `.`/`,` is the decimal mark when both appear; a lone `,`
 * followed by exactly three digits, or several of one mark, separate thousands.
 */
export function parseMoney(text: string): number | null {
  let digits = text.replace(/\p{Sc}/gu, '').trim().replace(/^[A-Za-z]{2,3}(?=[\s\d.,+-])/, '').replace(/(?<=[\d\s.,])[A-Za-z]{3}$/, '');
  digits = digits.replace(/[\s'\u00a0\u202f]/g, '');
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  if (lastDot !== -1 && lastComma !== -1) {
    digits = lastComma > lastDot ? digits.replaceAll('.', '').replace(',', '.') : digits.replaceAll(',', '');
  } else if (lastComma !== -1) {
    const thousands = digits.indexOf(',') !== lastComma || /,\d{3}$/.test(digits);
    digits = thousands ? digits.replaceAll(',', '') : digits.replace(',', '.');
  } else if (lastDot !== -1 && digits.indexOf('.') !== lastDot) {
    digits = digits.replaceAll('.', '');
  }
  return NUMERIC_TEXT.test(digits) ? Number(digits) : null;
}

function isAbsent(value: Json | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
