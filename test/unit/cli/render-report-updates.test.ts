/**
 * The human report says what the JSON report says about `$add`/`$append` (issue 15): those with
 * no answer at a stop, those sent again after an ambiguous failure, those a resume did not send.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/cli/render-report.js';
import { NO_DELIVERY, type DeliveryStats } from '../../../src/delivery/stats.js';
import { Accounting } from '../../../src/run/accounting.js';
import { buildReport } from '../../../src/run/report.js';

function rendered(http: Partial<DeliveryStats>, resumedEngage = 0): string[] {
  const accounting = new Accounting();
  if (resumedEngage > 0) accounting.recordResumed('/engage', resumedEngage);
  const report = buildReport({ mode: 'import', accounting, inputs: [], http: { ...NO_DELIVERY, ...http }, wallMs: 1000, fatal: null, interrupted: true, resumed: 0, files: [], current: null, startedAtMs: 0, endedAtMs: 1000, settingsWarnings: [] });
  return renderReport(report).split('\n');
}

describe('renderReport: non-idempotent profile updates', () => {
  it.each([
    { what: 'in flight at the stop', http: { nonIdempotentInFlight: 37 }, line: '  warning: 37 $add/$append profile updates got no answer before the stop (maybe applied); a resume sends them again, which may count them twice' },
    { what: 'sent again after an ambiguous failure', http: { nonIdempotentRetried: 212 }, line: '  warning: 212 $add/$append profile updates were sent again after a reset, timeout or 5xx that Mixpanel may have applied: they may count twice' },
  ])('$what: one warning line with the count', ({ http, line }) => {
    expect(rendered(http)).toContain(line);
  });

  it('none of either: no warning line', () => {
    expect(rendered({}).filter((line) => line.includes('$add/$append'))).toEqual([]);
  });

  it('records a resume did not send again are listed with the records', () => {
    expect(rendered({}, 58)).toContain('  records resumed   /engage 58 ($add/$append an earlier run had delivered: not sent again)');
  });
});
