/**
 * Credentials never appear in any output, in any encoding (issue 15; README "Output"). A server
 * that echoes the Authorization header quotes base64 that decodes to the secret; it must reach
 * neither stdout, stderr, the rejects file nor the --json report. The built CLI against the test
 * server's echoAuthorization faults, once per way of authenticating.
 */
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultOptions, ServerProject } from '../support/mixpanel-server/index.js';
import { useTestServers } from '../support/test-servers.js';
import { generateMessages } from '../support/synth/index.js';
import { ensureBuilt, runCli, tempDir, writeLines } from '../support/cli.js';

/** Credentials with characters that base64, URL and JSON encode differently. */
const PROJECT: ServerProject = {
  id: '2000002',
  token: 'tok-redact-0123456789abcdef',
  apiSecret: 'sec+ret/redact=0123"456',
  serviceAccount: { user: 'sa-redact.user', secret: 'sa+secret/redact=7788' },
  identity: 'original',
};
const SA_SECRET = PROJECT.serviceAccount!.secret;
const SA_PAIR = `${PROJECT.serviceAccount!.user}:${SA_SECRET}`;

const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** Every encoding searched for, by name: each credential raw, URL-encoded, and base64 alone and as each Basic pair. */
const ENCODINGS: ReadonlyArray<readonly [string, string]> = [
  ...[
    ['token', PROJECT.token],
    ['API secret', PROJECT.apiSecret],
    ['service-account secret', SA_SECRET],
  ].flatMap(([name, value]) => [
    [`${name}, raw`, value!],
    [`${name}, URL-encoded`, encodeURIComponent(value!)],
    [`${name}, base64`, base64(value!)],
    [`${name}, base64 unpadded`, base64(value!).replace(/=+$/, '')],
    [`base64 of "${name}:"`, base64(`${value}:`)],
    [`base64 of "${name}:", URL-encoded`, encodeURIComponent(base64(`${value}:`))],
    [`base64 of "${name}:", unpadded`, base64(`${value}:`).replace(/=+$/, '')],
  ] as const),
  ['base64 of "user:secret"', base64(SA_PAIR)],
  ['base64 of "user:secret", URL-encoded', encodeURIComponent(base64(SA_PAIR))],
  ['base64 of "user:secret", unpadded', base64(SA_PAIR).replace(/=+$/, '')],
];

function encodingsIn(outputs: Record<string, string>): string[] {
  return Object.entries(outputs).flatMap(([where, text]) => ENCODINGS.filter(([, form]) => text.includes(form)).map(([name]) => `${name} in ${where}`));
}

let tmp: ReturnType<typeof tempDir>;
let input: string;

beforeAll(() => {
  ensureBuilt();
  tmp = tempDir('mpx-redact-');
  input = writeLines(join(tmp.path, 'day.ndjson'), generateMessages({ count: 60, seed: 1519 }));
}, 120_000);

afterAll(() => tmp.cleanup());

const server = useTestServers();

const AUTHS = [
  { auth: 'service account', flags: ['--service-account', SA_PAIR, '--project-id', PROJECT.id] },
  { auth: 'API secret', flags: ['--api-secret', PROJECT.apiSecret] },
  { auth: 'token only', flags: [] },
] as const;
const ECHOES: ReadonlyArray<NonNullable<FaultOptions['echoAuthorization']>> = ['failed-records', 'server-error', 'unauthorized'];
const CASES = AUTHS.flatMap(({ auth, flags }) => ECHOES.flatMap((echo) => [true, false].map((json) => ({ auth, flags, echo, json, report: json ? '--json report' : 'human report' }))));

describe('a server echoing the Authorization header: no credential in any encoding anywhere', () => {
  it.each(CASES)('$auth, $echo, $report', async ({ flags, echo, json }) => {
    const mp = await server({ projects: [PROJECT], faults: { echoAuthorization: echo } });
    const rejects = tmp.unique('rejects.ndjson');
    const args = ['import', input, '--api-host', mp.url, '--token', PROJECT.token, ...flags, '--rejects', rejects, '--max-retries', '1', '--backoff', '1'];
    const result = await runCli(json ? [...args, '--json'] : args);
    // The echo reached the CLI: lines were rejected (400), or the run stopped (401, retries of the 500 used up).
    expect(result.code, result.stderr).toBe(echo === 'failed-records' ? 1 : 3);
    expect(mp.requests.length).toBeGreaterThan(0);
    const rejected = existsSync(rejects) ? readFileSync(rejects, 'utf8') : '';
    if (echo !== 'unauthorized') expect(rejected).not.toBe('');
    if (echo === 'failed-records') expect(rejected).toContain('unexpected header Authorization: Basic <redacted>');
    expect(encodingsIn({ stdout: result.stdout, stderr: result.stderr, 'rejects file': rejected })).toEqual([]);
  });

  it('a dry run given every credential writes none of them, in any encoding', async () => {
    const out = tmp.unique('dry.ndjson');
    const result = await runCli(['import', input, '--dry-run', '--out', out, '--token', PROJECT.token, '--api-secret', PROJECT.apiSecret, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(encodingsIn({ stdout: result.stdout, stderr: result.stderr, 'dry-run output': readFileSync(out, 'utf8') })).toEqual([]);
  });
});
