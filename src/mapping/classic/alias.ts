import type { AliasMessage } from '../../segment/types.js';
import { aliasIdentity } from '../identity.js';
import { insertId } from '../insert-id.js';
import { checkEventProperties } from '../limits.js';
import type { MapResult, MappingOptions } from '../types.js';

/**
 * Alias → `$create_alias` on /import in original mode; nothing in simplified mode, where
 * Mixpanel rejects identity events (README "Identity modes").
 */
export function mapAlias(message: AliasMessage, options: MappingOptions): MapResult {
  if (options.identity === 'simplified') return { outcome: 'skipped', type: 'alias', reason: 'alias has no effect with simplified ID merge' };
  const ids = aliasIdentity(message);
  if (typeof ids === 'string') return { outcome: 'rejected', type: 'alias', reason: ids };
  const properties = { distinct_id: ids.existing, alias: ids.alias, token: options.token, time: message.timeMs, $insert_id: insertId(message) };
  const record = { event: '$create_alias', properties };
  const json = JSON.stringify(record);
  const reason = checkEventProperties(properties, json);
  if (reason !== null) return { outcome: 'rejected', type: 'alias', reason };
  return { outcome: 'mapped', type: 'alias', records: [{ endpoint: '/import', record, json }], warnings: [] };
}
