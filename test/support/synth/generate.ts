/**
 * Deterministic synthetic Segment message generator: yields NDJSON lines (no trailing newline).
 * The same options (seed included) always give the same lines, on any machine.
 */
import { Rng } from './random.js';
import { makeCompanies, makeUser, type User } from './users.js';
import * as M from './messages.js';
import { BAD_LINE_KINDS, badLine } from './bad-lines.js';
import { serializeMessage } from './envelope.js';

export type SegmentType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';
export const SEGMENT_TYPES: readonly SegmentType[] = ['track', 'page', 'screen', 'identify', 'group', 'alias'];

export interface SynthOptions {
  count: number;
  seed?: number;
  /** Time of the first message (receivedAt), default Date.UTC(2026, 9, 1). */
  startMs?: number;
  /** receivedAt runs from startMs to startMs + spanMs; default 7 days. */
  spanMs?: number;
  /** Share of alias messages (0..1); the other types keep their relative weights. */
  aliasShare?: number;
  /** Every N-th line (1-based) is a bad line; 0 or absent = none. */
  badLineEvery?: number;
  /** Relative weights per type; default DEFAULT_MIX. */
  mix?: Partial<Record<SegmentType, number>>;
  /** Size of the user pool; default max(6, ceil(count / 20)). */
  users?: number;
}

/** Weights per 100 messages (the brief's 55/15/8/12/5/3, with the missing 2 given to track). */
export const DEFAULT_MIX: Readonly<Record<SegmentType, number>> = { track: 57, page: 15, screen: 8, identify: 12, group: 5, alias: 3 };
export const DEFAULT_START_MS = Date.UTC(2026, 9, 1);
export const DEFAULT_SPAN_MS = 7 * 86_400_000;
const DECK_SIZE = 100;

export interface ResolvedOptions {
  readonly count: number;
  readonly seed: number;
  readonly startMs: number;
  readonly spanMs: number;
  readonly badLineEvery: number;
  readonly mix: Readonly<Record<SegmentType, number>>;
  readonly users: number;
}

export function resolveOptions(o: SynthOptions): ResolvedOptions {
  if (!Number.isInteger(o.count) || o.count < 0) throw new RangeError(`count must be a non-negative integer, got ${o.count}`);
  const base: Record<SegmentType, number> = { ...DEFAULT_MIX, ...o.mix };
  if (o.aliasShare !== undefined) {
    if (!(o.aliasShare >= 0 && o.aliasShare < 1)) throw new RangeError(`aliasShare must be in [0, 1), got ${o.aliasShare}`);
    const others = SEGMENT_TYPES.filter((t) => t !== 'alias').reduce((sum, t) => sum + base[t], 0);
    for (const t of SEGMENT_TYPES) if (t !== 'alias') base[t] = (base[t] / others) * (1 - o.aliasShare);
    base.alias = o.aliasShare;
  }
  return {
    count: o.count,
    seed: (o.seed ?? 1) >>> 0,
    startMs: o.startMs ?? DEFAULT_START_MS,
    spanMs: o.spanMs ?? DEFAULT_SPAN_MS,
    badLineEvery: Math.max(0, Math.floor(o.badLineEvery ?? 0)),
    mix: base,
    users: Math.max(6, o.users ?? Math.ceil(o.count / 20)),
  };
}

/** receivedAt of line `index` (0-based): evenly spread over the span. */
export function lineTimeMs(o: ResolvedOptions, index: number): number {
  return o.startMs + Math.floor((o.spanMs * index) / Math.max(1, o.count));
}

/**
 * Deck of `size` types in exact proportion (largest remainder); every type with a positive
 * weight appears at least once when the deck has room for all of them.
 */
export function deckCounts(mix: Readonly<Record<SegmentType, number>>, size: number): Record<SegmentType, number> {
  const types = SEGMENT_TYPES.filter((t) => mix[t] > 0);
  const total = types.reduce((s, t) => s + mix[t], 0);
  const counts = Object.fromEntries(SEGMENT_TYPES.map((t) => [t, 0])) as Record<SegmentType, number>;
  if (total <= 0 || size <= 0) return counts;
  const rema: [SegmentType, number][] = [];
  let used = 0;
  for (const t of types) {
    const exact = (mix[t] / total) * size;
    counts[t] = Math.floor(exact);
    used += counts[t];
    rema.push([t, exact - counts[t]]);
  }
  rema.sort((a, b) => b[1] - a[1]);
  for (let i = 0; used < size; i++, used++) counts[(rema[i % rema.length] as [SegmentType, number])[0]] += 1;
  if (size >= types.length) {
    for (const t of types) {
      if (counts[t] > 0) continue;
      const donor = types.reduce((a, b) => (counts[a] >= counts[b] ? a : b));
      counts[donor] -= 1;
      counts[t] = 1;
    }
  }
  return counts;
}

function makeDeck(rng: Rng, counts: Record<SegmentType, number>): SegmentType[] {
  const deck: SegmentType[] = [];
  for (const t of SEGMENT_TYPES) for (let i = 0; i < counts[t]; i++) deck.push(t);
  return rng.shuffle(deck);
}

function makeState(o: ResolvedOptions, rng: Rng): M.GenState {
  const companies = makeCompanies(rng, Math.max(2, Math.ceil(o.users / 6)), o.startMs);
  const users: User[] = [];
  for (let i = 0; i < o.users; i++) users.push(makeUser(rng, i, o.startMs, companies));
  return {
    rng,
    users,
    web: users.filter((u) => u.platform === 'web'),
    mobile: users.filter((u) => u.platform !== 'web'),
    candidates: [],
  };
}

const BUILDERS: Record<SegmentType, (s: M.GenState, receivedMs: number) => ReturnType<typeof M.track>> = {
  track: M.track, page: M.page, screen: M.screen, identify: M.identify, group: M.group, alias: M.alias,
};

export function* generateMessages(options: SynthOptions): Generator<string> {
  const o = resolveOptions(options);
  const rng = new Rng(o.seed);
  const state = makeState(o, rng);
  const deckSize = o.count < DECK_SIZE ? o.count : DECK_SIZE;
  const counts = deckCounts(o.mix, deckSize);
  let deck: SegmentType[] = [];
  let badIndex = 0;
  for (let i = 0; i < o.count; i++) {
    if (i % deckSize === 0) deck = makeDeck(rng, counts);
    const type = deck[i % deckSize] as SegmentType;
    const receivedMs = lineTimeMs(o, i);
    if (o.badLineEvery > 0 && (i + 1) % o.badLineEvery === 0) {
      yield badLine(state, BAD_LINE_KINDS[badIndex % BAD_LINE_KINDS.length] as (typeof BAD_LINE_KINDS)[number], receivedMs);
      badIndex += 1;
      continue;
    }
    const built = BUILDERS[type](state, receivedMs);
    M.recordLine(state, type, built);
    yield serializeMessage(built.message);
  }
}
