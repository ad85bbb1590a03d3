/**
 * SPEC §6.1, the alias pass: a cheap text test picks the lines of a block that may hold alias
 * calls; only those are parsed, and their parsed type decides. The lines around multi-byte
 * characters, CRLF and a missing final newline must come out with their right numbers.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { mapBlock } from '../../../src/mapper/map-block.js';
import { options } from '../../support/mapping.js';
import { NO_FILTER } from '../../../src/config/filter.js';
import type { MapperSetup } from '../../../src/mapper/protocol.js';

const alias = (n: number, spacing = '', type = 'alias'): string =>
  `{"type"${spacing}:${spacing}"${type}","previousId":"anon-${n}","userId":"user-${n}","messageId":"msg-alias-${n}","timestamp":"2026-11-29T08:15:30.250Z"}`;
const track = (n: number, extra = ''): string =>
  `{"type":"track","event":"Viewed ${n}","userId":"user-${n}","messageId":"msg-track-${n}","timestamp":"2026-11-29T08:15:30.250Z"${extra}}`;

/** [rule, line text (or raw bytes), selected by the alias pass] */
const LINES: Array<[string, string | Buffer, boolean]> = [
  ['an alias call', alias(1), true],
  ['a track call', track(2), false],
  ['multi-byte characters before an alias', `{"context":{"city":"Zürich 東京 😀"},${alias(3).slice(1)}`, true],
  ['the type in capitals', alias(4, '', 'ALIAS'), true],
  ['spaces around the colon', alias(5, ' '), true],
  ['tabs around the colon', alias(11, '\t'), true],
  ['carriage returns around the colon', alias(13, '\r'), true],
  ['a nested "type" before the alias type', `{"context":{"device":{"type":"ios"}},${alias(14).slice(1)}`, true],
  ['the type in mixed case', alias(15, '', 'aLiAs'), true],
  ['a line cut short after "alia"', '{"type":"ALIA', false],
  ['a type that only starts with alias', alias(12, '', 'aliased'), false],
  ['"type":"alias" among the properties of a track call: the parsed type decides', track(6, ',"properties":{"type":"alias"}'), false],
  ['"type":"alias" escaped inside a string value', track(10, ',"properties":{"note":"{\\"type\\":\\"alias\\"}"}'), false],
  ['an alias call ending in CRLF', `${alias(7)}\r`, true],
  ['an alias call with invalid UTF-8 (left to the main pass)', Buffer.concat([Buffer.from(alias(8).slice(0, -1)), Buffer.from([0xff]), Buffer.from('}')]), false],
  ['an alias call on the last line, without a final newline', alias(9), true],
];

function blockOf(lines: ReadonlyArray<string | Buffer>): Buffer {
  return Buffer.concat(lines.map((line, i) => Buffer.concat([Buffer.from(line), Buffer.from(i === lines.length - 1 ? '' : '\n')])));
}

const SETUP: MapperSetup = { mapping: options(), filter: NO_FILTER, keepText: false, format: false };

describe('alias pass: the lines it selects', () => {
  const bytes = blockOf(LINES.map(([, text]) => text));

  it('maps exactly the alias calls, with their line numbers', () => {
    const block = { kind: 'block' as const, file: 'day.ndjson', firstLine: 11, skip: [], bytes: Uint8Array.from(bytes) };
    const mapped = mapBlock(block, SETUP, 'aliases');
    const expected = LINES.flatMap(([, , selected], index) => (selected ? [11 + index] : []));
    expect(Array.from(mapped.sent!.lines)).toEqual(expected);
    expect(mapped.lines).toEqual([]);
  });

  it('maps every line with selection "all"', () => {
    const block = { kind: 'block' as const, file: 'day.ndjson', firstLine: 1, skip: [], bytes: Uint8Array.from(bytes) };
    const mapped = mapBlock(block, SETUP, 'all');
    expect(mapped.sent!.lines.length + mapped.lines.length).toBe(LINES.length);
  });
});
