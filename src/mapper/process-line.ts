import { isObject, type JsonObject } from '../lib/json.js';
import { mapMessage, type MappingOptions } from '../mapping/index.js';
import { toRouted } from '../mixpanel/types.js';
import { readMessageId, readTime, readType } from '../segment/parse.js';
import { sentByDeviceMode } from '../segment/device-mode.js';
import { MAX_MESSAGE_DEPTH, nestedDeeperThan } from '../lib/json-depth.js';
import type { SegmentType } from '../segment/types.js';
import { badLine, rejectedInput } from './input-rejection.js';
import type { LineRef } from '../outcomes.js';
import type { MessageFilter } from '../config/filter.js';
import type { ProcessedLine } from './protocol.js';
import type { InputLine } from '../input/types.js';

/** Decode, filter and map one line. Pure apart from JSON.parse; a bad line is data, not an exception. */
export function processLine(input: InputLine, mapping: MappingOptions, filter: MessageFilter): ProcessedLine {
  const baseRef = { file: input.file, line: input.line, messageId: null };
  if (input.kind === 'bad') return badLine(input);
  let value: unknown;
  try {
    value = JSON.parse(input.text);
  } catch (error) {
    return rejectedInput(baseRef, `invalid JSON: ${(error as Error).message}`, input.text);
  }
  if (!isObject(value)) return rejectedInput(baseRef, `not a JSON object: found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`, input.text);

  const ref: LineRef = { file: input.file, line: input.line, messageId: readMessageId(value) };
  // Before anything walks the message recursively (docs/architecture.md, "Nesting").
  const type = readType(value);
  if (nestedDeeperThan(value, input.text, MAX_MESSAGE_DEPTH)) {
    return { kind: 'settled', ref, type, outcome: { kind: 'rejected', type, stage: 'input', reason: `nesting deeper than ${MAX_MESSAGE_DEPTH} levels` }, text: input.text };
  }
  const filtered = type === null ? null : filterReason(value, type, filter);
  if (filtered !== null) return { kind: 'settled', ref, type, outcome: { kind: 'skipped', type, reason: filtered }, text: input.text };

  const result = mapMessage(value, mapping);
  if (result.outcome === 'mapped') {
    const deviceMode = sentByDeviceMode(value);
    if (deviceMode && filter.skipDeviceMode) return { kind: 'settled', ref, type: result.type, outcome: { kind: 'skipped', type: result.type, reason: 'sent by device mode' }, text: input.text };
    return { kind: 'records', ref, type: result.type, records: result.records.map(toRouted), warnings: result.warnings, deviceMode };
  }
  const outcome: ProcessedLine & { kind: 'settled' } = {
    kind: 'settled',
    ref,
    type: result.type,
    outcome: result.outcome === 'skipped' ? { kind: 'skipped', type: result.type, reason: result.reason } : { kind: 'rejected', type: result.type, stage: 'mapping', reason: result.reason },
    text: input.text,
  };
  return outcome;
}

function filterReason(message: JsonObject, type: SegmentType, filter: MessageFilter): string | null {
  if (filter.types !== null && !filter.types.has(type)) return 'filtered out by --types';
  if (filter.fromMs === null && filter.toMs === null) return null;
  const time = readTime(message)?.ms ?? null;
  if (time === null) return null;
  if ((filter.fromMs !== null && time < filter.fromMs) || (filter.toMs !== null && time >= filter.toMs)) return 'outside the --from/--to window';
  return null;
}
