import type { Json } from '../lib/json.js';
import type { ChangedListing, DiffResult, NameCounts, OnlyListing, RecordKey } from './tally.js';
import { endpointOrder } from './tally.js';
import type { Change, Counts } from './types.js';

/** Version of the `--json` document; bump on any incompatible change. */
export const DIFF_JSON_VERSION = 1;

/** Values longer than this are cut in the human output (the JSON form has them whole). */
const MAX_VALUE_CHARS = 160;

export interface Palette {
  readonly added: (text: string) => string;
  readonly removed: (text: string) => string;
  readonly changed: (text: string) => string;
}

export const NO_COLOUR: Palette = { added: (t) => t, removed: (t) => t, changed: (t) => t };
export const ANSI_COLOUR: Palette = {
  added: (t) => `\u001b[32m${t}\u001b[39m`,
  removed: (t) => `\u001b[31m${t}\u001b[39m`,
  changed: (t) => `\u001b[33m${t}\u001b[39m`,
};

/** The person-readable diff, as chunks of text (one per listed record, then the summary). */
export function* renderHuman(result: DiffResult, palette: Palette): Generator<string> {
  const t = result.total;
  yield* section('only in before', t.onlyBefore, result.onlyBefore, (item) => palette.removed(`- ${onlyLine(item)}`) + '\n');
  yield* section('only in after', t.onlyAfter, result.onlyAfter, (item) => palette.added(`+ ${onlyLine(item)}`) + '\n');
  yield* section('changed', t.changed, result.changed, (item) => changedBlock(item, palette));
  yield summaryTable(result);
  yield result.identical
    ? `no differences: ${t.identical} records identical\n`
    : `${t.onlyBefore} only in before, ${t.onlyAfter} only in after, ${t.changed} changed, ${t.identical} identical\n`;
}

/** The `--json` document: the same content as the human output, in one JSON object. */
export function renderJson(result: DiffResult): string {
  const t = result.total;
  return `${JSON.stringify({
    version: DIFF_JSON_VERSION,
    identical: result.identical,
    onlyBefore: result.onlyBefore,
    onlyAfter: result.onlyAfter,
    changed: result.changed,
    omitted: { onlyBefore: t.onlyBefore - result.onlyBefore.length, onlyAfter: t.onlyAfter - result.onlyAfter.length, changed: t.changed - result.changed.length },
    summary: {
      total: t,
      byEndpoint: Object.fromEntries([...result.byEndpoint].sort(([a], [b]) => endpointOrder(a) - endpointOrder(b))),
      byName: result.byName,
    },
  })}\n`;
}

// --- internal ---

function* section<T>(title: string, count: number, items: readonly T[], render: (item: T) => string): Generator<string> {
  if (count === 0) return;
  yield `${title} (${count}):\n`;
  for (const item of items) yield render(item);
  if (count > items.length) yield `… and ${count - items.length} more\n`;
  yield '\n';
}

function onlyLine(item: OnlyListing): string {
  return `${keyText(item.key)} (${item.file}:${item.line}) ${nameText(item.key, item.name)}`;
}

function changedBlock(item: ChangedListing, palette: Palette): string {
  const { before, after } = item;
  const where = before.file === after.file && before.line === after.line ? `${before.file}:${before.line}` : `${before.file}:${before.line} → ${after.file}:${after.line}`;
  const name = item.name.before === item.name.after ? nameText(item.key, item.name.before) : `${nameText(item.key, item.name.before)} → ${nameText(item.key, item.name.after)}`;
  const lines = [palette.changed(`~ ${keyText(item.key)} (${where}) ${name}`)];
  for (const change of item.changes) lines.push(`    ${colourOf(change, palette)(changeText(change))}`);
  return lines.join('\n') + '\n';
}

export function changeText(change: Change): string {
  if (change.op === '+') return `+ ${change.path}: ${valueText(change.after)}`;
  if (change.op === '-') return `- ${change.path}: ${valueText(change.before)}`;
  return `~ ${change.path}: ${valueText(change.before)} → ${valueText(change.after)}`;
}

function colourOf(change: Change, palette: Palette): (text: string) => string {
  return change.op === '+' ? palette.added : change.op === '-' ? palette.removed : palette.changed;
}

function keyText(key: RecordKey): string {
  const id = key.messageId === null ? 'messageId=null' : `messageId=${key.messageId}`;
  return `${key.endpoint} ${id}${key.index > 0 ? ` #${key.index + 1}` : ''}`;
}

/** Event names are quoted (they are free text); profile operations and group keys are not. */
function nameText(key: RecordKey, name: string): string {
  return key.endpoint === '/import' ? JSON.stringify(name) : name;
}

function valueText(value: Json | undefined): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

function summaryTable(result: DiffResult): string {
  const rows: [string, Counts][] = [];
  const endpoints = [...result.byEndpoint].sort(([a], [b]) => endpointOrder(a) - endpointOrder(b));
  for (const [endpoint, counts] of endpoints) {
    rows.push([endpoint, counts]);
    const names = result.byName.filter((n: NameCounts) => n.endpoint === endpoint);
    for (const named of names.slice(0, MAX_SUMMARY_NAMES)) rows.push([`  ${nameText({ endpoint, messageId: null, index: 0 }, named.name)}`, named]);
    if (names.length > MAX_SUMMARY_NAMES) rows.push([`  … and ${names.length - MAX_SUMMARY_NAMES} more names`, sum(names.slice(MAX_SUMMARY_NAMES))]);
  }
  rows.push(['total', result.total]);
  const labelWidth = Math.max(...rows.map(([label]) => label.length), 'summary'.length);
  const header = ['only before', 'only after', 'changed', 'identical'];
  const line = (label: string, cells: readonly (string | number)[]): string =>
    `${label.padEnd(labelWidth)}  ${cells.map((cell, i) => String(cell).padStart((header[i] as string).length)).join('  ')}`.trimEnd();
  const body = rows.map(([label, c]) => line(label, [c.onlyBefore, c.onlyAfter, c.changed, c.identical]));
  return `${[line('summary', header), ...body].join('\n')}\n\n`;
}

/** Event names shown per endpoint in the human summary (the JSON form has them all). */
const MAX_SUMMARY_NAMES = 200;

function sum(rows: readonly Counts[]): Counts {
  return rows.reduce((acc, c) => ({ onlyBefore: acc.onlyBefore + c.onlyBefore, onlyAfter: acc.onlyAfter + c.onlyAfter, changed: acc.changed + c.changed, identical: acc.identical + c.identical }), {
    onlyBefore: 0,
    onlyAfter: 0,
    changed: 0,
    identical: 0,
  });
}
