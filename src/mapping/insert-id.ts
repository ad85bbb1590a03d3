import { hash } from 'node:crypto';
import type { Json } from '../lib/json.js';
import { isPlaceholderId } from '../segment/ids.js';
import type { SegmentMessage } from '../segment/types.js';

export const MIXPANEL_INSERT_ID = /^[A-Za-z0-9-]{1,36}$/;

/**
 * Deterministic `$insert_id` (README "Mapping"): the messageId when Mixpanel accepts it as is, else a
 * 36-character hash of the messageId (or of the canonical message when there is none).
 * `purpose` distinguishes several events derived from one message.
 */
export function insertId(message: SegmentMessage, purpose?: string): string {
  const { messageId } = message;
  const base =
    messageId !== null && MIXPANEL_INSERT_ID.test(messageId) && !isPlaceholderId(messageId)
      ? messageId
      : hashId(messageId !== null && messageId !== '' ? `messageId:${messageId}` : `message:${canonicalJson(message.raw)}`);
  return purpose === undefined ? base : hashId(`${base}:${purpose}`);
}

/** sha256 of the text shaped as a UUID-like 36-character id. */
function hashId(text: string): string {
  const hex = hash('sha256', text, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** JSON with object keys sorted at every level, so equal messages hash equally. */
function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
