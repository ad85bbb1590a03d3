// Ratios and the printed table.

/**
 * Adds `vsParse` (events/s ÷ the parse ceiling's) and `vsMixpanelImport` (events/s ÷ mixpanel-import's
 * in the same server setting: 10 ms latency for the plain steps, the rate-limited run for the rate-limited ones).
 */
export function addRatios(rows) {
  const parse = rows.find((r) => r.kind === 'parse');
  for (const row of rows) {
    const ref = rows.find((r) => r.kind === 'mixpanel-import' && r.rateLimited === row.rateLimited);
    row.vsParse = parse ? row.eventsPerSecond / parse.eventsPerSecond : null;
    row.vsMixpanelImport = ref ? row.eventsPerSecond / ref.eventsPerSecond : null;
  }
  return rows;
}

const int = (n) => (n === null || n === undefined ? '' : Math.round(n).toLocaleString('en-US'));
const fixed = (n, digits) => (n === null || n === undefined ? '' : n.toFixed(digits));

const percent = (share) => (share === undefined || share === null ? '' : `${(share * 100).toFixed(1)} %`);

const COLUMNS = [
  ['step', (r) => r.step, 'left'],
  ['events', (r) => int(r.events)],
  ['seconds', (r) => fixed(r.seconds, 2)],
  ['events/s', (r) => int(r.eventsPerSecond)],
  ['peak RSS MB', (r) => fixed(r.rssMB, 0)],
  ['× parse', (r) => fixed(r.vsParse, 2)],
  ['× mixpanel-import', (r) => fixed(r.vsMixpanelImport, 2)],
  ['allowance used', (r) => percent(r.allowanceUsed)],
  ['… while sending', (r) => percent(r.allowanceWhileSending)],
  ['429s', (r) => (r.status429 === undefined ? '' : String(r.status429))],
  ['events lost', (r) => (r.lost === undefined ? '' : int(r.lost))],
  ['× classic dry run', (r) => fixed(r.vsClassicDryRun, 2)],
];

/** A plain-text table, one block per size. */
export function formatTable(rows) {
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((row) => COLUMNS.map(([, cell]) => String(cell(row))))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const render = (line) =>
    line.map((text, i) => (COLUMNS[i][2] === 'left' ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(cells[0]), rule, ...cells.slice(1).map(render)].join('\n');
}
