import { isObject, newObject, type Json, type JsonObject } from '../../lib/json.js';
import type { MixpanelRecord } from '../../mixpanel/types.js';
import type { PageMessage, TrackMessage } from '../../segment/types.js';
import { insertId, MIXPANEL_INSERT_ID } from '../insert-id.js';
import type { MapResult, MappingOptions } from '../types.js';
import { importRecord } from '../records.js';
import { actionsEventProperties } from './event.js';

/** Actions' "Order Completed Calls" preset triggers on this exact name. */
const ORDER_COMPLETED = 'Order Completed';

/** Order properties a `Product Purchased` event does not inherit. */
const ORDER_ONLY = new Set(['affiliation', 'subtotal', 'total', 'revenue', 'shipping', 'tax', 'discount', 'coupon', 'currency', 'order_number', 'products']);

/** The product fields Actions maps from each `products[]` item, in its order (others are dropped). */
const PRODUCT_FIELDS = ['product_id', 'sku', 'category', 'name', 'brand', 'variant', 'price', 'quantity', 'coupon', 'position', 'url', 'image_url'] as const;


/**
 * Track → the event; `Order Completed` → the event plus, with `generatePurchaseEventPerProduct`
 * (default true), one `Product Purchased` per `products[]` item (README "Replaying a workspace
 * that uses Mixpanel (Actions)").
 */
export function mapActionsTrack(message: TrackMessage, options: MappingOptions): MapResult {
  const built = actionsEventProperties(message, message.event, options);
  if ('reason' in built) return rejected(message, built.reason);
  const events: Array<[string, JsonObject]> = [[message.event, built.properties]];
  if (message.event === ORDER_COMPLETED && options.settings.generatePurchaseEventPerProduct) {
    const products = message.properties.products;
    if (Array.isArray(products)) products.forEach((product, i) => events.push(['Product Purchased', productProperties(message, built.properties, product, i)]));
  }
  const records: MixpanelRecord[] = [];
  for (const [event, properties] of events) {
    const routed = importRecord(event, properties);
    if ('reason' in routed) return rejected(message, routed.reason);
    records.push(routed.record);
  }
  return { outcome: 'mapped', type: message.type, records, warnings: built.warnings };
}

/** Page and screen share the event path once the name is known. */
export function mapActionsEventCall(message: PageMessage, event: string, options: MappingOptions): MapResult {
  const built = actionsEventProperties(message, event, options);
  if ('reason' in built) return rejected(message, built.reason);
  const routed = importRecord(event, built.properties);
  if ('reason' in routed) return rejected(message, routed.reason);
  return { outcome: 'mapped', type: message.type, records: [routed.record], warnings: built.warnings };
}

/**
 * The i-th `Product Purchased`: the order's properties without the order-only ones, time one
 * millisecond earlier per product, `$insert_id` = i followed by the order's (a hash of it when
 * that is no valid Mixpanel id), then the twelve product fields Actions maps.
 */
function productProperties(message: TrackMessage, order: JsonObject, product: Json, i: number): JsonObject {
  const properties = newObject();
  for (const key in order) if (!ORDER_ONLY.has(key)) properties[key] = order[key]!;
  properties.time = message.timeMs - (i + 1);
  const prefixed = `${i}${String(order.$insert_id)}`;
  properties.$insert_id = MIXPANEL_INSERT_ID.test(prefixed) ? prefixed : insertId(message, `product ${i}`);
  if (isObject(product)) {
    for (const field of PRODUCT_FIELDS) {
      const value = product[field];
      if (value !== undefined && value !== null) properties[field] = value;
    }
  }
  return properties;
}

function rejected(message: TrackMessage | PageMessage, reason: string): MapResult {
  return { outcome: 'rejected', type: message.type, reason };
}
