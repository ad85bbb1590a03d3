import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BAD_LINE_KINDS, SEGMENT_TYPES, generateMessages, writeArchive, writeNdjson, type SynthOptions } from '../../support/synth/index.js';

type Msg = Record<string, unknown>;

function lines(options: SynthOptions): string[] {
  return [...generateMessages(options)];
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return Symbol.for('not-json');
  }
}

function isObject(v: unknown): v is Msg {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function timeOf(m: Msg): number {
  const v = m['timestamp'] ?? m['originalTimestamp'] ?? m['receivedAt'];
  return typeof v === 'number' ? v : Date.parse(String(v));
}

const PLACEHOLDERS = new Set(['anonymous', 'null', 'undefined', '0', 'unknown', '00000000-0000-0000-0000-000000000000']);
const realId = (v: unknown): boolean => (typeof v === 'string' && v !== '' && !PLACEHOLDERS.has(v)) || typeof v === 'number';

/** Which bad-line kind a line is, or undefined for a good message. */
function badKind(line: string): string | undefined {
  const v = parse(line);
  if (v === Symbol.for('not-json')) return 'not-json';
  if (Array.isArray(v)) return 'json-array';
  if (typeof v === 'string') return 'json-string';
  if (!isObject(v)) return 'other';
  if (!SEGMENT_TYPES.includes(v['type'] as never)) return 'unsupported-type';
  if (v['timestamp'] === undefined && v['originalTimestamp'] === undefined && v['receivedAt'] === undefined) return 'missing-timestamp';
  if (v['userId'] === undefined && v['anonymousId'] === undefined) return 'missing-ids';
  if (v['type'] === 'alias' && v['previousId'] === v['userId']) return 'alias-to-self';
  if (Number.isNaN(timeOf(v))) return 'invalid-timestamp';
  return undefined;
}

describe('synthetic Segment generator', () => {
  it('yields identical lines for the same seed and different lines for another seed', () => {
    const a = lines({ count: 1500, seed: 42, badLineEvery: 97 });
    const b = lines({ count: 1500, seed: 42, badLineEvery: 97 });
    const c = lines({ count: 1500, seed: 43, badLineEvery: 97 });
    expect(a).toHaveLength(1500);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('produces every Segment call type for 600 messages, web and mobile contexts alike', () => {
    const msgs = lines({ count: 600, seed: 7 }).map((l) => JSON.parse(l) as Msg);
    const types = new Set(msgs.map((m) => m['type']));
    expect([...types].sort()).toEqual([...SEGMENT_TYPES].sort());
    const libraries = new Set(msgs.map((m) => ((m['context'] as Msg)['library'] as Msg)['name']));
    expect(libraries).toContain('analytics.js');
    expect(libraries).toContain('analytics-ios');
    expect(libraries).toContain('analytics-android');
  });

  it('puts every type in even a tiny stream of 6 messages', () => {
    const types = lines({ count: 6, seed: 1 }).map((l) => (JSON.parse(l) as Msg)['type']);
    expect(types.sort()).toEqual([...SEGMENT_TYPES].sort());
  });

  it('keeps the default mix at exactly track 57, page 15, screen 8, identify 12, group 5, alias 3 per 100 messages', () => {
    const counts: Record<string, number> = {};
    for (const l of lines({ count: 10_000, seed: 3 })) {
      const t = String((JSON.parse(l) as Msg)['type']);
      counts[t] = (counts[t] ?? 0) + 1;
    }
    expect(counts['track']).toBe(5700);
    expect(counts['page']).toBe(1500);
    expect(counts['screen']).toBe(800);
    expect(counts['identify']).toBe(1200);
    expect(counts['group']).toBe(500);
    expect(counts['alias']).toBe(300);
  });

  it('averages between 600 and 1300 bytes per line over 2,000 messages', () => {
    const ls = lines({ count: 2000, seed: 11 });
    const avg = ls.reduce((s, l) => s + Buffer.byteLength(l), 0) / ls.length;
    expect(avg).toBeGreaterThan(600);
    expect(avg).toBeLessThan(1300);
  });

  it('writes every good line exactly as JSON.stringify would (the serialiser needs no escaping)', () => {
    for (const seed of [1, 2, 3]) {
      for (const l of lines({ count: 3000, seed })) expect(JSON.stringify(JSON.parse(l))).toBe(l);
    }
  });

  it('gives every good message a valid time and a real userId or anonymousId', () => {
    for (const l of lines({ count: 3000, seed: 5 })) {
      const m = JSON.parse(l) as Msg;
      expect(Number.isNaN(timeOf(m))).toBe(false);
      expect(realId(m['userId']) || realId(m['anonymousId'])).toBe(true);
      if (m['type'] === 'alias') {
        expect(realId(m['previousId']) && realId(m['userId'])).toBe(true);
        expect(m['previousId']).not.toBe(m['userId']);
      }
    }
  });

  it('places most aliases after track/identify lines that already use the alias userId, and dates the alias before them', () => {
    const seen = new Map<string, { lines: number; earliest: number }>();
    let aliases = 0;
    let late = 0;
    for (const l of lines({ count: 20_000, seed: 9 })) {
      const m = JSON.parse(l) as Msg;
      if (m['type'] === 'alias') {
        aliases += 1;
        const prior = seen.get(String(m['userId']));
        if (prior !== undefined && prior.lines >= 2) {
          late += 1;
          expect(timeOf(m)).toBeLessThan(prior.earliest);
        }
      } else if ((m['type'] === 'track' || m['type'] === 'identify') && m['userId'] !== undefined) {
        const p = seen.get(String(m['userId'])) ?? { lines: 0, earliest: Number.POSITIVE_INFINITY };
        p.lines += 1;
        p.earliest = Math.min(p.earliest, timeOf(m));
        seen.set(String(m['userId']), p);
      }
    }
    expect(aliases).toBe(600);
    expect(late / aliases).toBeGreaterThan(0.7);
  });

  it('makes exactly every N-th line bad, cycling through the eight kinds, and still yields count lines', () => {
    const every = 13;
    const ls = lines({ count: 13 * 16 + 5, seed: 21, badLineEvery: every });
    expect(ls).toHaveLength(213);
    const kinds = ls.map(badKind);
    const badAt = kinds.flatMap((k, i) => (k === undefined ? [] : [i + 1]));
    expect(badAt).toEqual(Array.from({ length: 16 }, (_, i) => (i + 1) * every));
    expect(badAt.map((n) => kinds[n - 1])).toEqual([...BAD_LINE_KINDS, ...BAD_LINE_KINDS]);
  });

  it('makes no bad lines when badLineEvery is 0', () => {
    expect(lines({ count: 500, seed: 2, badLineEvery: 0 }).map(badKind).filter((k) => k !== undefined)).toEqual([]);
  });
});

describe('synthetic archive writers', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writeNdjson streams the same lines as the generator, gzipped when asked', async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-'));
    const options = { count: 2500, seed: 4, badLineEvery: 300 };
    const result = await writeNdjson(join(dir, 'x.ndjson.gz'), { ...options, gzip: true });
    const text = gunzipSync(await readFile(join(dir, 'x.ndjson.gz'))).toString('utf8');
    expect(text).toBe(lines(options).join('\n') + '\n');
    expect(result).toMatchObject({ lines: 2500, bytes: Buffer.byteLength(text) });
  });

  it('writeArchive splits one stream into day folders in Segment S3 layout', async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-'));
    const options = { count: 900, seed: 8, startMs: Date.UTC(2026, 10, 27), spanMs: 3 * 86_400_000, files: 3 };
    const results = await writeArchive(dir, options);
    expect((await readdir(dir)).sort()).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    expect(results.map((r) => r.path.slice(dir!.length + 1))).toEqual([
      expect.stringMatching(/^2026-11-27\/1795737600000\.[0-9a-f]{6}\.ndjson$/),
      expect.stringMatching(/^2026-11-28\/1795824000000\.[0-9a-f]{6}\.ndjson$/),
      expect.stringMatching(/^2026-11-29\/1795910400000\.[0-9a-f]{6}\.ndjson$/),
    ]);
    const all = (await Promise.all(results.map((r) => readFile(r.path, 'utf8')))).join('');
    expect(all).toBe(lines(options).join('\n') + '\n');
  });
});
