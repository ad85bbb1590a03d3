/** The human report's S3 lines (README "Nightly backfill from S3"): days, objects, bytes read. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/cli/render-report.js';
import { NO_DELIVERY } from '../../../src/delivery/stats.js';
import type { S3Summary } from '../../../src/input/s3/source.js';
import { Accounting } from '../../../src/run/accounting.js';
import { buildReport } from '../../../src/run/report.js';

const report = (s3: S3Summary | null) =>
  buildReport({ mode: 'dry-run', accounting: new Accounting(), inputs: [], http: NO_DELIVERY, wallMs: 1000, fatal: null, interrupted: false, resumed: 0, s3, files: [], current: null, startedAtMs: 0, endedAtMs: 1000, settingsWarnings: [] });

describe('renderReport: s3 inputs', () => {
  it.each([
    [
      'narrowed to two days, with ignored objects and a resumed read',
      { prefixes: [{ input: 's3://acme/segment-logs/', days: ['2026-12-05', '2026-12-06'], objects: 7, ignored: 1 }], objectsRead: 7, bytesRead: 12_500_000, resumes: 2 },
      ['  s3 input          s3://acme/segment-logs/: days 2026-12-05, 2026-12-06; 7 objects (1 other objects ignored)', '  s3 read           7 objects, 12.5 MB, 2 reads resumed'],
    ],
    [
      'not narrowed',
      { prefixes: [{ input: 's3://acme/x/', days: null, objects: 3, ignored: 0 }], objectsRead: 3, bytesRead: 900_000, resumes: 0 },
      ['  s3 input          s3://acme/x/: all days; 3 objects', '  s3 read           3 objects, 0.9 MB'],
    ],
    [
      'many days are shown as a range',
      { prefixes: [{ input: 's3://acme/y/', days: ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'], objects: 40, ignored: 0 }], objectsRead: 40, bytesRead: 0, resumes: 0 },
      ['  s3 input          s3://acme/y/: 5 days, 2026-11-01 to 2026-11-05; 40 objects', '  s3 read           40 objects, 0.0 MB'],
    ],
  ])('%s', (_name, s3, lines) => {
    const text = renderReport(report(s3));
    for (const line of lines) expect(text.split('\n')).toContain(line);
  });

  it('no s3 inputs: no s3 lines, and no s3 field in the JSON report', () => {
    const built = report(null);
    expect('s3' in built).toBe(false);
    expect(renderReport(built)).not.toContain('s3 ');
  });
});
