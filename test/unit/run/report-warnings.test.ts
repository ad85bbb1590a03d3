/**
 * Mapping warnings reach the report (README "JSON report"): each warning a message's mapping
 * gives is counted under its text, in a dry run as in a live run (one path: MapResult.warnings).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../support/run-main.js';
import { tempDir } from '../../support/temp-dir.js';

const RUN_START = Date.UTC(2026, 10, 30, 12);
const dir = tempDir('mpx-warnings-');
afterAll(() => dir.cleanup());

const TIME = '2026-11-29T10:00:00.000Z';
const LINES = [
  { type: 'identify', messageId: 'w-1', userId: 'user-w1', timestamp: TIME, traits: { created: 'not-a-date-w1' } },
  { type: 'identify', messageId: 'w-2', userId: 'user-w2', timestamp: TIME, traits: { createdAt: true } },
  { type: 'track', event: 'Viewed W', messageId: 'w-3', userId: 'user-w3', timestamp: TIME, properties: { length: 3 }, context: { traits: { created: 'soon' } } },
  { type: 'track', event: 'Paid W', messageId: 'w-4', userId: 'user-w4', timestamp: TIME, properties: { revenue: 'twelve dollars' } },
  { type: 'track', event: 'Paid W', messageId: 'w-5', userId: 'user-w5', timestamp: TIME, properties: { revenue: 'n/a' } },
  { type: 'identify', messageId: 'w-6', userId: 'user-w6', timestamp: TIME, traits: { created: '2024-01-02T03:04:05Z' } },
];

describe('mapping warnings in the report', () => {
  it('created-not-a-date, revenue-not-a-number and reserved-name warnings are counted per message', async () => {
    const input = dir.file('warnings.ndjson');
    writeFileSync(input, LINES.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const settings = dir.file('settings.json');
    writeFileSync(settings, JSON.stringify({ people: true }));
    const run = await runMain(['import', input, '--settings', settings, '--dry-run', '--out', dir.file('out.ndjson'), '--json', '--quiet'], { now: () => RUN_START });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { warnings: Record<string, number> };
    expect(report.warnings).toEqual({
      'created trait is not a date: no $created': 3,
      'reserved property name "length"': 1,
      'revenue is not a number': 2,
    });
  });
});
