/** SPEC §6: what each Mixpanel reply means for the batch that was sent. */
import { describe, expect, it } from 'vitest';
import { classifyReply, parseRetryAfter, type Classification } from '../../../src/mixpanel/classify.js';
import type { Endpoint } from '../../../src/mixpanel/types.js';

/** The time the replies arrive. */
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const reply = (status: number, body: unknown, retryAfter: string | null = null) => ({ status, retryAfter, body: typeof body === 'string' ? body : JSON.stringify(body) });

const CASES: Array<[string, Endpoint, ReturnType<typeof reply> & { location?: string }, number, Classification]> = [
  ['§6 200 from /import → delivered', '/import', reply(200, { code: 200, num_records_imported: 5, status: 'OK' }), 5, { kind: 'delivered' }],
  ['§6 200 {"status":1} from /engage → delivered', '/engage', reply(200, { status: 1, error: null }), 7, { kind: 'delivered' }],
  ['200 {"status":"OK"} without a count from /import (a mock\'s success shape) → delivered', '/import', reply(200, { code: 200, status: 'OK' }), 4, { kind: 'delivered' }],
  ['200 {"status":1} from /import (a mock\'s success shape) → delivered', '/import', reply(200, { status: 1 }), 3, { kind: 'delivered' }],
  ['200 plain "1" from /groups (the legacy reply) → delivered', '/groups', reply(200, '1'), 2, { kind: 'delivered' }],
  [
    '200 with a proxy\'s HTML page from /import → not delivered: retried',
    '/import',
    reply(200, '<!doctype html><title>Proxy</title>'),
    5,
    { kind: 'retry', message: '200 from /import without Mixpanel\'s reply (body starts "<!doctype html><title>Proxy</title>")', retryAfterMs: null, rateLimited: false, ambiguous: true },
  ],
  ['200 with JSON that is not Mixpanel\'s from /import → retried', '/import', reply(200, { ok: true }), 6, { kind: 'retry', message: '200 from /import without Mixpanel\'s reply (body starts "{\\"ok\\":true}")', retryAfterMs: null, rateLimited: false, ambiguous: true }],
  ['200 with an empty body from /engage → retried', '/engage', reply(200, ''), 8, { kind: 'retry', message: '200 from /engage without Mixpanel\'s reply (an empty body)', retryAfterMs: null, rateLimited: false, ambiguous: true }],
  ['200 with an HTML page from /groups → retried', '/groups', reply(200, '<html>login</html>'), 9, { kind: 'retry', message: '200 from /groups without Mixpanel\'s reply (body starts "<html>login</html>")', retryAfterMs: null, rateLimited: false, ambiguous: true }],
  ['§6 200 {"status":0} from /engage with several updates → split to find the bad one', '/engage', reply(200, { status: 0, error: '$distinct_id, missing or empty' }), 7, { kind: 'split', message: '/engage: $distinct_id, missing or empty' }],
  ['§6 200 {"status":0} from /groups with one update → rejected with its message', '/groups', reply(200, { status: 0, error: 'bad group' }), 1, { kind: 'rejected', message: '/groups: bad group' }],
  [
    '§6 strict 400 with failed_records (insert_id spelling) → partial by index; the field is not repeated when the message names it',
    '/import',
    reply(400, { code: 400, error: 'some data points in the request failed validation', failed_records: [{ index: 2, insert_id: 'i-2', field: 'properties.time', message: "'properties.time' is invalid" }] }),
    5,
    { kind: 'partial', failed: [{ index: 2, message: "'properties.time' is invalid" }] },
  ],
  [
    '§6 strict 400 with failed_records ($insert_id spelling) → partial by index',
    '/import',
    reply(400, { failed_records: [{ index: 0, $insert_id: 'i-0', field: 'event', message: "'event' must not be missing or blank" }, { index: 4, $insert_id: 'i-4', message: 'string should be valid utf8' }] }),
    5,
    { kind: 'partial', failed: [{ index: 0, message: "'event' must not be missing or blank" }, { index: 4, message: 'string should be valid utf8' }] },
  ],
  [
    '§6 strict 400 whose failed_records are plain strings → the whole batch is rejected',
    '/import',
    reply(400, { failed_records: ['identity events are not allowed when project is using simplified identity management'], num_records_imported: 0 }),
    5,
    { kind: 'rejected', message: '/import: identity events are not allowed when project is using simplified identity management' },
  ],
  ['§6 400 without failed_records from /import → rejected, never retried', '/import', reply(400, { error: 'unexpected end of JSON' }), 5, { kind: 'rejected', message: '/import: unexpected end of JSON' }],
  ['§6 401 → fatal', '/import', reply(401, { error: 'Invalid credentials' }), 5, { kind: 'fatal', message: 'Mixpanel answered 401 to /import (Invalid credentials)', credentials: true }],
  ['§6 403 → fatal', '/import', reply(403, { error: 'Forbidden' }), 5, { kind: 'fatal', message: 'Mixpanel answered 403 to /import (Forbidden)', credentials: true }],
  ['§6 413 with several records → split in half', '/import', reply(413, { error: 'request exceeds max limit of 10485760 bytes' }), 6, { kind: 'split', message: '413 request exceeds max limit of 10485760 bytes' }],
  ['§6 413 with one record → rejected', '/import', reply(413, { error: 'too large' }), 1, { kind: 'rejected', message: 'record too large for /import: too large' }],
  ['§6 429 → retry, rate limited, Retry-After in ms', '/import', reply(429, { error: 'Project exceeded rate limits.' }, '7'), 5, { kind: 'retry', message: '429 from /import', retryAfterMs: 7000, rateLimited: true, ambiguous: false }],
  ['§6 429 with Retry-After as an HTTP date → the wait until then', '/import', reply(429, '', 'Mon, 30 Nov 2026 12:00:04 GMT'), 5, { kind: 'retry', message: '429 from /import', retryAfterMs: 4000, rateLimited: true, ambiguous: false }],
  ['§6 502 → retry, not rate limited', '/engage', reply(502, 'Bad Gateway'), 5, { kind: 'retry', message: '502 from /engage', retryAfterMs: null, rateLimited: false, ambiguous: true }],
  ['§6 503 → retry', '/groups', reply(503, ''), 5, { kind: 'retry', message: '503 from /groups', retryAfterMs: null, rateLimited: false, ambiguous: true }],
  ['408 → retry', '/import', reply(408, ''), 5, { kind: 'retry', message: '408 from /import', retryAfterMs: null, rateLimited: false, ambiguous: false }],
  ['404 → fatal (wrong --api-host)', '/import', reply(404, 'Not Found'), 5, { kind: 'fatal', message: 'unexpected HTTP 404 from /import: Not Found; check --api-host or --region', credentials: false }],
  [
    '§6 307 with an absolute Location → fatal naming the redirect and its host, not the credentials',
    '/import',
    { ...reply(307, ''), location: 'https://login.proxy.example/sso?next=/import' },
    5,
    { kind: 'fatal', message: 'HTTP 307 from /import: a redirect to login.proxy.example, not followed (a request with credentials is sent only where --api-host or --region says); check --api-host', credentials: false },
  ],
  [
    '§6 301 with a relative Location → fatal naming the path on the same host',
    '/engage',
    { ...reply(301, ''), location: '/v2/engage' },
    3,
    { kind: 'fatal', message: 'HTTP 301 from /engage: a redirect to "/v2/engage" on the same host, not followed (a request with credentials is sent only where --api-host or --region says); check --api-host', credentials: false },
  ],
  [
    '§6 302 without a Location → fatal saying so',
    '/groups',
    reply(302, ''),
    1,
    { kind: 'fatal', message: 'HTTP 302 from /groups: a redirect without a Location, not followed (a request with credentials is sent only where --api-host or --region says); check --api-host', credentials: false },
  ],
];

describe('classifyReply', () => {
  it.each(CASES)('%s', (_name, endpoint, answer, size, expected) => {
    expect(classifyReply(endpoint, answer, size, NOW)).toEqual(expected);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['seconds', '3', 0, 3000],
    ['fractional seconds', '0.5', 0, 500],
    ['an HTTP date in the future', 'Wed, 02 Dec 2026 00:00:10 GMT', Date.UTC(2026, 11, 2, 0, 0, 0), 10_000],
    ['absent', null, 0, null],
    ['garbage', 'soon', 0, null],
  ] as const)('Retry-After as %s', (_name, value, now, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
