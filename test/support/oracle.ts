/**
 * The "server against dry run" oracle of the end-to-end tests: what a Mixpanel test server
 * accepted, compared with the records the dry run of the same command says should be sent.
 * /import events are matched by `$insert_id` and must carry the dry run's exact JSON; /engage and
 * /groups updates are compared as a multiset of endpoint + JSON.
 */
import type { AcceptedRecord } from './mixpanel-server/index.js';
import type { DryRecord } from './cli.js';

/** What a dry run writes where the token goes (README "Dry run and diff"). */
const DRY_RUN_TOKEN = '<token>';

export interface DeliveryComparison {
  /** Dry-run records the server never accepted (events by `$insert_id`, updates by JSON). */
  readonly missing: number;
  /** Accepted records the dry run does not have: an unknown `$insert_id`, an event whose JSON differs, an update not in the dry run. */
  readonly unexpected: number;
  /** Copies beyond the expected ones: events by `$insert_id`, `$add` and `$append` updates, other updates. */
  readonly resent: { readonly events: number; readonly adds: number; readonly appends: number; readonly otherUpdates: number };
  /** Every dry-run event has its own `$insert_id`. */
  readonly distinctInsertIds: boolean;
  /** A few of the differences, cut short, so a failure prints something readable. */
  readonly examples: readonly string[];
}

export const NOTHING_RESENT = { events: 0, adds: 0, appends: 0, otherUpdates: 0 };
/** The comparison of a delivery that sent every dry-run record exactly once and nothing else. */
export const EXACT_DELIVERY: DeliveryComparison = { missing: 0, unexpected: 0, resent: NOTHING_RESENT, distinctInsertIds: true, examples: [] };

/** Compare what the server accepted with the dry run, the project token written as the dry run writes it. */
export function compareWithDryRun(dry: readonly DryRecord[], accepted: readonly AcceptedRecord[], token: string): DeliveryComparison {
  const comparable = (record: unknown): string => JSON.stringify(record).replaceAll(JSON.stringify(token), JSON.stringify(DRY_RUN_TOKEN));
  const expectedEvents = new Map<string, string>();
  const expectedUpdates = new Map<string, number>();
  let dryEvents = 0;
  for (const d of dry) {
    if (d.endpoint === '/import') {
      dryEvents++;
      expectedEvents.set(d.record.properties.$insert_id as string, comparable(d.record));
    } else bump(expectedUpdates, `${d.endpoint} ${comparable(d.record)}`);
  }
  const gotEvents = new Map<string, number>();
  const gotUpdates = new Map<string, number>();
  const examples: string[] = [];
  let unexpected = 0;
  for (const a of accepted) {
    if (a.endpoint !== '/import') {
      bump(gotUpdates, `${a.endpoint} ${comparable(a.record)}`);
      continue;
    }
    const id = a.record.properties?.$insert_id as string;
    const json = comparable(a.record);
    bump(gotEvents, id);
    if (expectedEvents.get(id) !== json) {
      unexpected++;
      examples.push(`unexpected /import ${json}`);
    }
  }
  const resent = { events: 0, adds: 0, appends: 0, otherUpdates: 0 };
  let missing = 0;
  for (const id of expectedEvents.keys()) if (!gotEvents.has(id)) {
    missing++;
    examples.push(`missing /import ${id}`);
  }
  for (const n of gotEvents.values()) resent.events += n - 1;
  for (const [key, n] of expectedUpdates) {
    const got = gotUpdates.get(key) ?? 0;
    if (got < n) {
      missing += n - got;
      examples.push(`missing ${key}`);
    } else resent[updateKind(key)] += got - n;
  }
  for (const [key, n] of gotUpdates) if (!expectedUpdates.has(key)) {
    unexpected += n;
    examples.push(`unexpected ${key}`);
  }
  return { missing, unexpected, resent, distinctInsertIds: expectedEvents.size === dryEvents, examples: examples.slice(0, 3).map((e) => e.slice(0, 300)) };
}

function updateKind(key: string): 'adds' | 'appends' | 'otherUpdates' {
  if (!key.startsWith('/engage ')) return 'otherUpdates';
  const update = JSON.parse(key.slice('/engage '.length)) as Record<string, unknown>;
  return '$add' in update ? 'adds' : '$append' in update ? 'appends' : 'otherUpdates';
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
