/** The --json report, version 2 (README "The JSON report"): codes, times, tool, every input. */
import { describe, expect, it } from 'vitest';
import { reasonCode } from '../../../src/outcomes.js';
import { buildReport, errorCode } from '../../../src/run/report.js';
import { Accounting } from '../../../src/run/accounting.js';
import { NO_DELIVERY } from '../../../src/delivery/stats.js';

describe('reasonCode: a machine code beside each human reason', () => {
  it.each<['skipped' | 'rejected', 'input' | 'mapping' | 'mixpanel' | undefined, string, string]>([
    ['rejected', 'input', 'invalid JSON: Unexpected end of JSON input', 'invalid_json'],
    ['rejected', 'input', 'not a JSON object: found an array', 'not_an_object'],
    ['rejected', 'input', 'line is not valid UTF-8', 'invalid_utf8'],
    ['rejected', 'input', 'line is 40000000 bytes: longer than the 33554432-byte limit', 'line_too_long'],
    ['rejected', 'input', 'truncated gzip: the last line is incomplete', 'truncated_input'],
    ['rejected', 'mapping', 'unsupported type "…": expected one of track, page, screen, identify, alias, group', 'unsupported_type'],
    ['rejected', 'mapping', 'no distinct id: expected userId or anonymousId', 'no_distinct_id'],
    ['rejected', 'mapping', 'no timestamp: expected timestamp, originalTimestamp or receivedAt', 'no_timestamp'],
    ['rejected', 'mapping', 'timestamp "…" is not an ISO-8601 date or epoch number', 'invalid_time'],
    ['rejected', 'mapping', 'time <time> is before 1971-01-01: Mixpanel rejects it', 'time_out_of_range'],
    ['rejected', 'mapping', 'event has N properties: Mixpanel accepts fewer than N', 'over_mixpanel_limit'],
    ['rejected', 'mixpanel', "Mixpanel rejected the record: 'properties.time' is invalid", 'mixpanel_rejected'],
    ['rejected', 'mixpanel', 'not delivered: the run stopped (giving up after N attempts: N from /import)', 'not_sent'],
    ['rejected', 'mixpanel', 'not delivered: the run stopped (giving up after 11 attempts: 429 from /import)', 'rate_limited'],
    ['rejected', 'mapping', 'something new', 'rejected_other'],
    ['skipped', undefined, 'disabled for Mixpanel by integrations', 'disabled_by_integrations'],
    ['skipped', undefined, 'filtered out by --types', 'filtered_by_type'],
    ['skipped', undefined, 'people disabled', 'people_disabled'],
    ['skipped', undefined, 'no group identifier trait', 'no_group_identifier'],
    ['skipped', undefined, 'something new', 'skipped_other'],
  ])('%s [%s] "%s" → %s', (kind, stage, reason, code) => {
    expect(reasonCode(kind, stage, reason)).toBe(code);
  });
});

describe('errorCode: a machine code for the error that stopped a run', () => {
  it.each([
    ['giving up after 11 attempts: 429 from /import', 'rate_limited'],
    ['giving up after 11 attempts: 503 from /engage', 'retries_exhausted'],
    ['Mixpanel answered 401 to /import (Invalid credentials); check the credentials using the project API secret', 'auth_failed'],
    ['HTTP 307 from /import: a redirect to login.proxy.example, not followed', 'redirected'],
    ['checkpoint run.ckpt could not be written (ENOSPC): the lines settled since its last write are not in it, and a re-run sends them again; stopped sending', 'checkpoint_failed'],
    ['cannot write the dry-run records: ENOSPC', 'output_failed'],
    ['mapping a block failed: boom', 'fatal'],
  ])('"%s" → %s', (message, code) => {
    expect(errorCode(message)).toBe(code);
  });
});

describe('buildReport', () => {
  const interrupted = () =>
    buildReport({
      mode: 'import',
      accounting: new Accounting(),
      inputs: [{ file: 'day-1.ndjson', lines: 10, gzip: false, truncated: null }],
      http: { ...NO_DELIVERY },
      wallMs: 1500,
      fatal: null,
      interrupted: true,
      resumed: 0,
      files: ['day-1.ndjson', 'day-2.ndjson.gz', 'day-3.ndjson'],
      current: 'day-2.ndjson.gz',
      startedAtMs: Date.UTC(2026, 11, 7, 2, 0, 0),
      endedAtMs: Date.UTC(2026, 11, 7, 2, 0, 1, 500),
      settingsWarnings: ['settings.json: unknown setting "webhookUrls" ignored'],
    });

  it('an interrupted run lists every input: read to the end, partly, or not at all', () => {
    expect(interrupted().inputs).toEqual([
      { file: 'day-1.ndjson', lines: 10, gzip: false, truncated: null, read: 'complete' },
      { file: 'day-2.ndjson.gz', read: 'partial' },
      { file: 'day-3.ndjson', read: 'none' },
    ]);
  });

  it('version 2 with the tool, start and end times, the settings warnings, and no error code without an error', () => {
    const report = interrupted();
    expect({ version: report.version, tool: report.tool.name, startedAt: report.startedAt, endedAt: report.endedAt, settingsWarnings: report.settingsWarnings, errorCode: report.errorCode }).toEqual({
      version: 2,
      tool: 'mpx-replay',
      startedAt: '2026-12-07T02:00:00.000Z',
      endedAt: '2026-12-07T02:00:01.500Z',
      settingsWarnings: ['settings.json: unknown setting "webhookUrls" ignored'],
      errorCode: null,
    });
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
