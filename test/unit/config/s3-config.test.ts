/** The run configuration for `s3://` inputs (README "Nightly backfill from S3"): profile, endpoint, late days, today/yesterday. */
import { describe, expect, it } from 'vitest';
import { resolveRunConfig, type ImportFlags } from '../../../src/config/run-config.js';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.js';

const NOW = Date.UTC(2026, 11, 7, 3, 15);
const resolve = (flags: ImportFlags, env: Record<string, string> = {}) => resolveRunConfig(['s3://acme/segment-logs/'], { dryRun: true, ...flags }, env, DEFAULT_SETTINGS, NOW);

describe('resolveRunConfig: s3', () => {
  it.each([
    ['defaults: the SDK chooses the profile, no endpoint, 2 late days', {}, {}, { profile: null, endpoint: null, lateDays: 2 }],
    ['--aws-profile and --late-days', { awsProfile: 'segment-reader', lateDays: '5' }, {}, { profile: 'segment-reader', endpoint: null, lateDays: 5 }],
    ['AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL', {}, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', AWS_ENDPOINT_URL: 'http://127.0.0.1:9001' }, { profile: null, endpoint: 'http://127.0.0.1:9000', lateDays: 2 }],
    ['AWS_ENDPOINT_URL alone', {}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9001' }, { profile: null, endpoint: 'http://127.0.0.1:9001', lateDays: 2 }],
  ])('%s', (_name, flags, env, expected) => {
    const result = resolve(flags, env);
    expect('config' in result && result.config.s3).toEqual(expected);
  });

  it('--late-days must be an integer from 0 to 366', () => {
    expect(resolve({ lateDays: '-1' })).toEqual({ errors: ['--late-days "-1": expected an integer from 0 to 366'] });
  });

  it.each([
    ['yesterday', 'today', Date.UTC(2026, 11, 6), Date.UTC(2026, 11, 7)],
    ['Yesterday', '2026-12-07T12:00:00Z', Date.UTC(2026, 11, 6), Date.UTC(2026, 11, 7, 12)],
  ])('--from %s --to %s are UTC midnights of the run day', (from, to, fromMs, toMs) => {
    const result = resolve({ from, to });
    expect('config' in result && result.config.filter).toMatchObject({ fromMs, toMs });
  });
});
