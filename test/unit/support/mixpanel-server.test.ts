import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_PROJECT as P,
  startMixpanelServer,
  type MixpanelTestServer,
  type ServerOptions,
} from '../../support/mixpanel-server/index.js';

const servers: MixpanelTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: ServerOptions = {}): Promise<MixpanelTestServer> {
  const server = await startMixpanelServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

const SA = P.serviceAccount!;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const SA_AUTH = basic(SA.user, SA.secret);
const IMPORT = `/import?strict=1&project_id=${P.id}`;

function ev(i: number, props: Record<string, unknown> = {}): { event: string; properties: Record<string, unknown> } {
  return {
    event: 'Test',
    properties: { time: Math.floor(Date.now() / 1000) - 60, distinct_id: `user-${i}`, $insert_id: `id-${i}`, ...props },
  };
}
const batch = (n: number) => Array.from({ length: n }, (_, i) => ev(i));

interface Res {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

async function post(
  server: MixpanelTestServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: SA_AUTH },
): Promise<Res> {
  const payload = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

describe('/import authentication', () => {
  const cases: Array<[string, string, Record<string, string>, number, string | undefined]> = [
    ['service account (base64) with project_id is accepted', IMPORT, { authorization: SA_AUTH }, 200, 'service-account'],
    ['service account as plain text is accepted', IMPORT, { authorization: `Basic ${SA.user}:${SA.secret}` }, 200, 'service-account'],
    ['API secret as username with empty password is accepted', '/import?strict=1', { authorization: basic(P.apiSecret, '') }, 200, 'api-secret'],
    ['token as username with empty password is accepted', '/import?strict=1', { authorization: basic(P.token, '') }, 200, 'token'],
    ['a wrong service-account secret gets 401', IMPORT, { authorization: basic(SA.user, 'nope') }, 401, undefined],
    ['a service account without project_id gets 401', '/import?strict=1', { authorization: SA_AUTH }, 401, undefined],
    ['a service account with another project_id gets 401', '/import?strict=1&project_id=999', { authorization: SA_AUTH }, 401, undefined],
    ['an unknown secret gets 401', '/import?strict=1', { authorization: basic('wrong-secret', '') }, 401, undefined],
    ['no Authorization header gets 401', '/import?strict=1', {}, 401, undefined],
  ];
  it.each(cases)('%s', async (_name, path, headers, status, authKind) => {
    const server = await start();
    const res = await post(server, path, batch(2), headers);
    expect(res.status).toBe(status);
    expect(server.requests[0]?.authKind).toBe(authKind);
    if (status === 401) {
      expect(res.json).toEqual({ code: 401, error: 'Invalid credentials', status: 'Unauthorized' });
      expect(server.accepted).toHaveLength(0);
    } else {
      expect(res.json).toEqual({ code: 200, num_records_imported: 2, status: 'OK' });
      expect(server.accepted.map((a) => a.projectId)).toEqual([P.id, P.id]);
    }
  });

  it('requireAuth: false accepts requests without credentials (authKind none)', async () => {
    const server = await start({ requireAuth: false });
    const res = await post(server, '/import?strict=1', batch(1), {});
    expect(res.status).toBe(200);
    expect(server.requests[0]?.authKind).toBe('none');
  });
});

describe('/import body handling', () => {
  it('accepts a gzip body and logs wire and raw sizes', async () => {
    const server = await start();
    const raw = Buffer.from(JSON.stringify(batch(50)));
    const res = await post(server, IMPORT, gzipSync(raw), { authorization: SA_AUTH, 'content-encoding': 'gzip' });
    expect(res.json).toEqual({ code: 200, num_records_imported: 50, status: 'OK' });
    const log = server.requests[0]!;
    expect(log).toMatchObject({ gzip: true, rawBytes: raw.length, records: 50, status: 200 });
    expect(log.wireBytes).toBeLessThan(raw.length);
  });

  it('answers 400 to a body that is not valid gzip', async () => {
    const server = await start();
    const res = await post(server, IMPORT, 'not gzip', { authorization: SA_AUTH, 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(res.json.num_records_imported).toBe(0);
  });

  it.each([
    ['plain', false],
    ['gzip', true],
  ])('answers 413 when the uncompressed body exceeds maxBodyBytes (%s)', async (_name, gzip) => {
    const server = await start({ maxBodyBytes: 1000 });
    const raw = Buffer.from(JSON.stringify(batch(20)));
    expect(raw.length).toBeGreaterThan(1000);
    const headers: Record<string, string> = { authorization: SA_AUTH, ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
    const res = await post(server, IMPORT, gzip ? gzipSync(raw) : raw, headers);
    expect(res.status).toBe(413);
    expect(res.json).toEqual({
      code: 413,
      error: 'request exceeds max limit of 1000 bytes',
      status: 'Request Entity Too Large',
    });
    expect(server.accepted).toHaveLength(0);
  });

  it('answers 400 to more than 2000 records and ingests none', async () => {
    const server = await start();
    const res = await post(server, IMPORT, batch(2001));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 400, error: 'too many records in request: 2001 > 2000', num_records_imported: 0 });
    expect(server.accepted).toHaveLength(0);
  });

  it.each([
    ['unparseable JSON', '[{"event":'],
    ['a body that is not an array', '{"event":"x","properties":{}}'],
    ['an empty array', '[]'],
  ])('answers 400 Bad Request to %s', async (_name, body) => {
    const server = await start();
    const res = await post(server, IMPORT, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 400, status: 'Bad Request', num_records_imported: 0 });
    expect(typeof res.json.error).toBe('string');
  });

  it('accepts NDJSON and reports a bad line as a failed record', async () => {
    const server = await start();
    const body = [JSON.stringify(ev(0)), '{oops', JSON.stringify(ev(2))].join('\n');
    const res = await post(server, IMPORT, body, { authorization: SA_AUTH, 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(400);
    expect(res.json.num_records_imported).toBe(2);
    expect(res.json.failed_records.map((f: { index: number }) => f.index)).toEqual([1]);
  });
});

describe('/import strict validation', () => {
  const now = Date.now();
  const invalid: Array<[string, unknown, string]> = [
    ['blank event name', { event: '  ', properties: ev(0).properties }, 'event'],
    ['properties not an object', { event: 'x', properties: [] }, 'properties'],
    ['a key besides event and properties', { ...ev(0), distinct_id: 'u' }, 'distinct_id'],
    ['missing time', ev(0, { time: undefined }), 'properties.time'],
    ['time as a string', ev(0, { time: '1700000000' }), 'properties.time'],
    ['time before 1971', ev(0, { time: 31535999 }), 'properties.time'],
    ['time more than 1 h ahead', ev(0, { time: now + 3_700_000 }), 'properties.time'],
    ['missing distinct_id on an original project', ev(0, { distinct_id: undefined }), 'properties.distinct_id'],
    ['deny-listed distinct_id (case, spaces)', ev(0, { distinct_id: ' Undefined ' }), 'properties.distinct_id'],
    ['missing $insert_id', ev(0, { $insert_id: undefined }), '$insert_id'],
    ['$insert_id over 36 bytes', ev(0, { $insert_id: 'a'.repeat(37) }), '$insert_id'],
    ['$insert_id with a colon', ev(0, { $insert_id: 'ajs-next:abc' }), '$insert_id'],
    ['deny-listed $insert_id', ev(0, { $insert_id: 'null' }), '$insert_id'],
    ['255 properties', ev(0, Object.fromEntries(Array.from({ length: 252 }, (_, i) => [`p${i}`, i]))), 'properties'],
    ['nesting depth 4', ev(0, { deep: { a: { b: { c: {} } } } }), 'properties.deep'],
    ['a list of 255 elements', ev(0, { list: Array.from({ length: 255 }, () => 1) }), 'properties.list'],
    ['a nested object of 255 keys', ev(0, { obj: Object.fromEntries(Array.from({ length: 255 }, (_, i) => [`k${i}`, i])) }), 'properties.obj'],
    ['a lone surrogate in a string', ev(0, { utm_source: 'bad \ud800 string' }), 'properties.utm_source'],
  ];

  it.each(invalid)('rejects %s, ingests the valid events, and reports index and insert_id', async (_name, bad, field) => {
    const server = await start();
    const badWithId = bad as { properties?: Record<string, unknown> };
    const res = await post(server, IMPORT, [ev(1), bad, ev(2)]);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: 400,
      error: 'some data points in the request failed validation',
      status: 'Bad Request',
      num_records_imported: 2,
    });
    const insertId = badWithId.properties?.$insert_id;
    expect(res.json.failed_records).toEqual([
      { index: 1, insert_id: typeof insertId === 'string' ? insertId : '', field, message: expect.any(String) },
    ]);
    expect(server.accepted.map((a) => a.record.properties.$insert_id)).toEqual(['id-1', 'id-2']);
  });

  it('uses Mixpanel messages for time, distinct_id and $insert_id', async () => {
    const server = await start();
    const res = await post(server, IMPORT, [
      ev(0, { time: 'x' }),
      ev(1, { distinct_id: undefined }),
      ev(2, { $insert_id: 'a:b' }),
      ev(3, { utm_source: '\udc00' }),
    ]);
    expect(res.json.failed_records.map((f: { message: string }) => f.message)).toEqual([
      "'properties.time' is invalid: must be specified as seconds since epoch",
      "'properties.distinct_id' is invalid: must not be missing",
      "'$insert_id' is invalid: must only contain alphanumeric or hyphen '-' characters",
      'properties.utm_source is invalid: string should be valid utf8',
    ]);
  });

  it('rejects a string holding invalid UTF-8 bytes in the request body', async () => {
    const server = await start();
    const json = JSON.stringify([ev(0), ev(1, { utm_source: 'BAD' })]);
    const body = Buffer.from(json.replace('BAD', '\u0000BAD'), 'utf8');
    const at = body.indexOf(0);
    body[at] = 0xff;
    const res = await post(server, IMPORT, body);
    expect(res.json.num_records_imported).toBe(1);
    expect(res.json.failed_records).toEqual([
      { index: 1, insert_id: 'id-1', field: 'properties.utm_source', message: 'properties.utm_source is invalid: string should be valid utf8' },
    ]);
  });

  it('accepts seconds and milliseconds, depth 3, 254 properties and an empty distinct_id', async () => {
    const server = await start();
    const res = await post(server, IMPORT, [
      ev(0, { time: Math.floor(now / 1000) }),
      ev(1, { time: now }),
      ev(2, { deep: { a: { b: { c: 1 } } }, emoji: '😀' }),
      ev(3, Object.fromEntries(Array.from({ length: 251 }, (_, i) => [`p${i}`, i]))),
      ev(4, { distinct_id: '' }),
    ]);
    expect(res.json).toEqual({ code: 200, num_records_imported: 5, status: 'OK' });
  });

  /** An event whose JSON is exactly `bytes` long, its filler made of `unit` (1 or 2 JSON bytes per character). */
  function eventOfSize(i: number, bytes: number, unit: 'a' | '"'): ReturnType<typeof ev> {
    const room = bytes - Buffer.byteLength(JSON.stringify(ev(i, { filler: '' })));
    const filler = unit === 'a' ? 'a'.repeat(room) : '"'.repeat(Math.floor(room / 2)) + 'a'.repeat(room % 2);
    const event = ev(i, { filler });
    expect(Buffer.byteLength(JSON.stringify(event))).toBe(bytes);
    return event;
  }

  it.each([
    ['1 byte under 1 MiB is accepted', 1024 * 1024 - 1, 'a', true],
    ['exactly 1 MiB is rejected', 1024 * 1024, 'a', false],
    ['1 MiB made of escaped quotes (half as many characters) is rejected', 1024 * 1024, '"', false],
    ['1 byte under 1 MiB of escaped quotes is accepted', 1024 * 1024 - 1, '"', true],
  ] as const)('event size limit: an event whose JSON is %s', async (_name, bytes, unit, accepted) => {
    const server = await start();
    const res = await post(server, IMPORT, [ev(0), eventOfSize(1, bytes, unit)]);
    if (accepted) {
      expect(res.json).toEqual({ code: 200, num_records_imported: 2, status: 'OK' });
    } else {
      expect(res.json.failed_records).toEqual([{ index: 1, insert_id: 'id-1', field: 'event', message: "'event' is invalid: event must be smaller than 1048576 bytes" }]);
      expect(server.accepted.map((a) => a.record.properties.$insert_id)).toEqual(['id-0']);
    }
  });

  it('without strict=1 drops invalid events silently and answers 200', async () => {
    const server = await start();
    const res = await post(server, `/import?project_id=${P.id}`, [ev(0), ev(1, { $insert_id: 'x:y' })]);
    expect(res.json).toEqual({ code: 200, num_records_imported: 1, status: 'OK' });
    expect(server.accepted).toHaveLength(1);
  });
});

describe('simplified identity projects', () => {
  const simplified: ServerOptions = { projects: [{ ...P, identity: 'simplified' }] };

  it.each(['$identify', '$create_alias', '$merge'])('a %s event fails the whole batch with a string failed_record', async (name) => {
    const server = await start(simplified);
    const res = await post(server, IMPORT, [ev(0), { event: name, properties: ev(1).properties }]);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      num_records_imported: 0,
      failed_records: ['identity events are not allowed when project is using simplified identity management'],
    });
    expect(server.accepted).toHaveLength(0);
  });

  it('distinct_id is optional when $device_id or $user_id is present', async () => {
    const server = await start(simplified);
    const res = await post(server, IMPORT, [
      ev(0, { distinct_id: undefined, $device_id: 'd-1' }),
      ev(1, { distinct_id: undefined, $user_id: 'u-1' }),
      ev(2, { distinct_id: undefined }),
    ]);
    expect(res.json.num_records_imported).toBe(2);
    expect(res.json.failed_records).toEqual([expect.objectContaining({ index: 2, field: 'properties.distinct_id' })]);
  });
});

describe('/engage and /groups', () => {
  const user = (op: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    $token: P.token, $distinct_id: 'u1', ...op, ...extra,
  });
  const group = (op: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    $token: P.token, $group_key: 'company_id', $group_id: 'Acme', ...op, ...extra,
  });

  it('accepts valid updates with status 1 and stores them', async () => {
    const server = await start();
    const updates = [user({ $set: { a: 1 } }), user({ $add: { n: 2 } }), user({ $union: { l: ['x'] } }), user({ $unset: ['a'] }), user({ $delete: '' })];
    const res = await post(server, '/engage?verbose=1&ip=0', updates, {});
    expect(res.json).toEqual({ status: 1, error: null });
    const g = await post(server, '/groups?verbose=1', group({ $set_once: { b: 1 } }), {});
    expect(g.json).toEqual({ status: 1, error: null });
    expect(server.accepted.map((a) => a.endpoint)).toEqual([...updates.map(() => '/engage'), '/groups']);
  });

  const invalid: Array<[string, '/engage' | '/groups', unknown, string]> = [
    ['unknown $token', '/engage', user({ $set: {} }, { $token: 'x' }), '$token'],
    ['missing $distinct_id', '/engage', { $token: P.token, $set: {} }, '$distinct_id'],
    ['deny-listed $distinct_id', '/engage', user({ $set: {} }, { $distinct_id: 'null' }), '$distinct_id'],
    ['no operation', '/engage', user({}), 'no operation'],
    ['two operations', '/engage', user({ $set: {}, $add: { n: 1 } }), 'more than one'],
    ['$add with a string', '/engage', user({ $add: { n: '1' } }), '$add'],
    ['$union with an empty list', '/engage', user({ $union: { l: [] } }), '$union'],
    ['$unset not an array', '/engage', user({ $unset: 'a' }), '$unset'],
    ['$distinct_id on a group', '/groups', group({ $set: {} }, { $distinct_id: 'u' }), '$distinct_id'],
    ['missing $group_key', '/groups', { $token: P.token, $group_id: 'x', $set: {} }, '$group_key'],
    ['$add on a group', '/groups', group({ $add: { n: 1 } }), '$add'],
    ['$append on a group', '/groups', group({ $append: { l: 1 } }), '$append'],
  ];
  it.each(invalid)('rejects %s with status 0 and ingests nothing from the request', async (_name, path, bad, fragment) => {
    const server = await start();
    const good = path === '/engage' ? user({ $set: { ok: true } }) : group({ $set: { ok: true } });
    const res = await post(server, `${path}?verbose=1`, [good, bad], {});
    expect(res.status).toBe(200);
    expect(res.json.status).toBe(0);
    expect(res.json.error).toMatch(/^update 1: /);
    expect(res.json.error).toContain(fragment);
    expect(server.accepted).toHaveLength(0);
  });

  it('answers plain 1 / 0 without verbose', async () => {
    const server = await start();
    expect((await post(server, '/engage', [user({ $set: {} })], {})).text).toBe('1');
    expect((await post(server, '/engage', [user({})], {})).text).toBe('0');
  });

  it('accepts a gzip body', async () => {
    const server = await start();
    const body = gzipSync(JSON.stringify([user({ $set: { a: 1 } })]));
    const res = await post(server, '/engage?verbose=1', body, { 'content-encoding': 'gzip' });
    expect(res.json).toEqual({ status: 1, error: null });
  });
});

describe('rate limiter', () => {
  it('answers 429 when the bucket is empty and recovers after refill', async () => {
    let clock = Date.now();
    const server = await start({ rateLimit: { eventsPerSecond: 100 }, now: () => clock });
    expect((await post(server, IMPORT, batch(100))).status).toBe(200);
    const limited = await post(server, IMPORT, batch(1));
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({
      code: 429,
      error: 'Project exceeded rate limits. Please retry the request with exponential backoff.',
      status: 'Too Many Requests',
    });
    expect(server.accepted).toHaveLength(100);
    clock += 500; // 50 tokens back
    expect((await post(server, IMPORT, batch(60))).status).toBe(429);
    expect((await post(server, IMPORT, batch(50))).status).toBe(200);
    expect((await post(server, '/engage?verbose=1', [{ $token: P.token, $distinct_id: 'u', $set: {} }], {})).status).toBe(429);
  });

  it('admits a request larger than the capacity when the bucket is full', async () => {
    let clock = Date.now();
    const server = await start({ rateLimit: { eventsPerSecond: 100 }, now: () => clock });
    expect((await post(server, IMPORT, batch(150))).status).toBe(200);
    clock += 1000; // bucket went to -50, now +50
    expect((await post(server, IMPORT, batch(60))).status).toBe(429);
    clock += 1000; // full again
    expect((await post(server, IMPORT, batch(150))).status).toBe(200);
  });
});

describe('fault injection', () => {
  async function statuses(options: ServerOptions, n: number): Promise<number[]> {
    const server = await start(options);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await post(server, IMPORT, [ev(i)])).status);
    return out;
  }

  it('the same seed gives the same sequence of faults; another seed a different one', async () => {
    const faults = { rate429: 0.3, rate503: 0.15, rate500: 0.1 };
    const a = await statuses({ faults: { ...faults, seed: 42 } }, 40);
    const b = await statuses({ faults: { ...faults, seed: 42 } }, 40);
    const c = await statuses({ faults: { ...faults, seed: 7 } }, 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a)).toEqual(new Set([200, 429, 503, 500]));
  });

  it('burst429 answers 429 to requests n..n+length-1 of every block, with Retry-After', async () => {
    const server = await start({ faults: { burst429: { everyNthRequest: 4, length: 2 }, retryAfterSeconds: 3 } });
    const seen: Array<[number, string | null]> = [];
    for (let i = 0; i < 10; i++) {
      const res = await post(server, IMPORT, [ev(i)]);
      seen.push([res.status, res.headers.get('retry-after')]);
    }
    expect(seen.map(([s]) => s)).toEqual([200, 200, 200, 429, 429, 200, 200, 429, 429, 200]);
    expect(seen[3]![1]).toBe('3');
    expect(server.accepted).toHaveLength(6);
  });

  it('a drop destroys the socket without a reply and ingests nothing', async () => {
    const server = await start({ faults: { rateDrop: 1 } });
    await expect(post(server, IMPORT, batch(3))).rejects.toThrow();
    expect(server.accepted).toHaveLength(0);
    expect(server.requests[0]).toMatchObject({ status: 0, fault: 'drop' });
  });

  it('dropAfterIngest stores the records but never acknowledges them', async () => {
    const server = await start({ faults: { rateDrop: 1, dropAfterIngest: true } });
    await expect(post(server, IMPORT, batch(3))).rejects.toThrow();
    expect(server.accepted).toHaveLength(3);
    expect(server.accepted[0]!.ackedAtMs).toBe(Number.POSITIVE_INFINITY);
    expect(server.requests[0]).toMatchObject({ status: 0, fault: 'drop-after-ingest' });
  });
});

describe('timing, routing and connections', () => {
  it('latencyMs delays the ack after ingest', async () => {
    const server = await start({ latencyMs: 150 });
    const t0 = Date.now();
    expect((await post(server, IMPORT, batch(2))).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const rec = server.accepted[0]!;
    expect(rec.ackedAtMs - rec.arrivedAtMs).toBeGreaterThanOrEqual(145);
    expect(server.requests[0]!.ackedAtMs).toBe(rec.ackedAtMs);
  });

  it('answers 404 to unknown paths and 405 to other methods', async () => {
    const server = await start();
    expect((await post(server, '/track', batch(1))).status).toBe(404);
    expect((await fetch(`${server.url}/import`)).status).toBe(405);
    expect(server.stats().byStatus).toEqual({ '404': 1, '405': 1 });
  });

  it('serves 30 concurrent keep-alive clients and close() ends idle sockets', async () => {
    const server = await start();
    const pool = new Pool(server.url, { connections: 30 });
    const send = async (c: number, r: number) => {
      const res = await pool.request({
        path: IMPORT,
        method: 'POST',
        headers: { authorization: SA_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify([ev(c * 100 + r)]),
      });
      await res.body.text();
      return res.statusCode;
    };
    const codes = await Promise.all(
      Array.from({ length: 30 }, async (_, c) => {
        const out: number[] = [];
        for (let r = 0; r < 5; r++) out.push(await send(c, r));
        return out;
      }),
    );
    expect(codes.flat().every((s) => s === 200)).toBe(true);
    expect(server.stats()).toMatchObject({ requests: 150, accepted: 150, byEndpoint: { '/import': 150 } });
    const t0 = Date.now();
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(Date.now() - t0).toBeLessThan(1000);
    await pool.close();
  });

  it('reset() clears accepted records and the request log', async () => {
    const server = await start();
    await post(server, IMPORT, batch(2));
    const accepted = server.accepted;
    server.reset();
    expect(accepted).toHaveLength(0);
    expect(server.stats()).toEqual({ requests: 0, accepted: 0, byStatus: {}, byEndpoint: {} });
  });
});
