import type { JsonObject } from '../../lib/json.js';
import { readId } from '../../segment/ids.js';
import type { AliasMessage } from '../../segment/types.js';
import { insertId } from '../insert-id.js';
import { importRecord } from '../records.js';
import type { MapResult, MappingOptions } from '../types.js';

/**
 * Alias under `--actions-alias` → `$create_alias`, as the Actions destination's optional alias
 * action builds it (docs/actions.md "What each call becomes"): `distinct_id` ← `previousId` (not
 * the legacy `from`), `alias` ← `userId`, else `anonymousId`, `token`, `segment_source_name`.
 * Replay-safe, as the preset's other events: to /import with the message's time and a
 * deterministic `$insert_id` (Actions posts it to /track without a time); ordered by the alias
 * pass like classic's; nothing in simplified mode. Without the flag, alias calls are skipped.
 */
export function mapActionsAlias(message: AliasMessage, options: MappingOptions): MapResult {
  if (!options.actionsAlias) return { outcome: 'skipped', type: 'alias', reason: 'alias is not mapped by the Actions preset' };
  if (options.identity === 'simplified') return { outcome: 'skipped', type: 'alias', reason: 'alias has no effect with simplified ID merge' };
  const existing = readId(message.raw.previousId);
  const alias = readId(message.raw.userId) ?? message.anonymousId;
  if (existing === null) return { outcome: 'rejected', type: 'alias', reason: 'alias without previousId' };
  if (alias === null) return { outcome: 'rejected', type: 'alias', reason: 'alias without userId or anonymousId' };
  if (existing === alias) return { outcome: 'rejected', type: 'alias', reason: `alias previousId and its new id are both ${JSON.stringify(alias)}` };
  const properties: JsonObject = { distinct_id: existing, alias, token: options.token };
  if (options.settings.sourceName !== null) properties.segment_source_name = options.settings.sourceName;
  properties.time = message.timeMs;
  properties.$insert_id = insertId(message);
  const routed = importRecord('$create_alias', properties);
  if ('reason' in routed) return { outcome: 'rejected', type: 'alias', reason: routed.reason };
  return { outcome: 'mapped', type: 'alias', records: [routed.record], warnings: [] };
}
