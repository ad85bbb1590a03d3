import { InputError } from '../../errors.js';
import { INPUT_FILE } from '../input-file.js';
import { dayInWindow, dayName, dayOfFolder, type DayWindow } from './received-days.js';
import type { S3Access } from './access.js';
import { describeS3Failure } from './errors.js';
import { objectUrl, type S3Location } from './url.js';

/** One object to read, as the listing described it. */
export interface S3Object {
  readonly url: string;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export interface ListedInput {
  readonly input: string;
  /** In key order. */
  readonly objects: S3Object[];
  /** The received-day folders read (epoch ms), when the listing was narrowed; null when it was not. */
  readonly days: number[] | null;
  /** Objects under the prefix whose names are not input files (`dummy-object.txt`, …). */
  readonly ignored: number;
}

export interface ListOptions {
  /** --from/--to as received days; null reads everything under the prefix. */
  readonly window: DayWindow | null;
  /** Keys per listing page (S3's default is 1000); tests make it small to see several pages. */
  readonly maxKeys?: number;
}

/**
 * Every object under an `s3://bucket/prefix` input, in key order, that a folder walk would take
 * (same file-name rule). With a day window, `<received-day>` folders outside it are not listed.
 * A missing bucket, a denied listing or nothing to read is an input error (exit 2).
 */
export async function listS3Input(access: S3Access, input: string, location: S3Location, options: ListOptions): Promise<ListedInput> {
  const found: Found = { objects: [], days: options.window === null ? null : [], ignored: 0, any: false };
  try {
    if (options.window === null) await listFlat(access, location.bucket, location.prefix, options.maxKeys, found);
    else await listNarrowed(access, location.bucket, location.prefix, options.window, options.maxKeys, found);
  } catch (error) {
    throw new InputError(describeS3Failure(error, input));
  }
  if (!found.any && found.days === null) throw new InputError(`${input}: no objects under this prefix (is the prefix right?)`);
  if (found.days !== null && found.days.length === 0 && found.objects.length === 0) {
    throw new InputError(`${input}: no received-day folder${describeWindow(options.window!)} under this prefix`);
  }
  if (found.objects.length === 0) throw new InputError(`${input}: no input files (.gz, .ndjson, .jsonl, .json) under this prefix; ${found.ignored} other objects ignored`);
  return { input, objects: found.objects, days: found.days, ignored: found.ignored };
}

interface Found {
  objects: S3Object[];
  days: number[] | null;
  ignored: number;
  /** Whether the prefix holds anything at all. */
  any: boolean;
}

function take(found: Found, bucket: string, object: { key: string; size: number; etag: string }): void {
  found.any = true;
  const name = object.key.slice(object.key.lastIndexOf('/') + 1);
  if (name === '') return;
  if (!INPUT_FILE.test(name)) {
    found.ignored += 1;
    return;
  }
  found.objects.push({ url: objectUrl(bucket, object.key), bucket, key: object.key, size: object.size, etag: object.etag });
}

async function listFlat(access: S3Access, bucket: string, prefix: string, maxKeys: number | undefined, found: Found): Promise<void> {
  let token: string | null = null;
  do {
    const page = await access.listPage(bucket, prefix, { token, maxKeys });
    for (const object of page.objects) take(found, bucket, object);
    token = page.next;
  } while (token !== null);
}

/**
 * A flat listing (key order) that jumps over received-day folders outside the window: a key in a
 * day folder before the window restarts the listing just before the window's first day in that
 * parent folder (StartAfter), one after the window skips the parent's remaining day folders. Day
 * folders are 13-digit epoch-ms names, so their key order is their time order. A key not in a day
 * folder is taken as it is.
 */
async function listNarrowed(access: S3Access, bucket: string, prefix: string, window: DayWindow, maxKeys: number | undefined, found: Found): Promise<void> {
  const days = new Set<number>();
  let token: string | null = null;
  let startAfter: string | undefined;
  for (;;) {
    const page = await access.listPage(bucket, prefix, { token, startAfter, maxKeys });
    let jump: string | null = null;
    for (const object of page.objects) {
      found.any = true;
      const place = dayPlace(object.key, prefix);
      if (place === null || dayInWindow(place.day, window)) {
        if (place !== null) days.add(place.day);
        take(found, bucket, object);
        continue;
      }
      jump = window.firstDay !== null && place.day < window.firstDay ? `${place.parent}${String(window.firstDay)}` : `${place.parent}${'9'.repeat(DAY_DIGITS)}/\u{10ffff}`;
      // Never backwards: a jump only moves the listing on.
      if (jump <= object.key) jump = null;
      if (jump !== null) break;
    }
    if (jump !== null) {
      startAfter = jump;
      token = null;
    } else if (page.next !== null) {
      token = page.next;
    } else break;
  }
  found.days = [...days].sort((a, b) => a - b);
}

const DAY_DIGITS = 13;

/** The received day of the folder that holds `key` (below `prefix`), with that folder's parent; null when it is not in one. */
function dayPlace(key: string, prefix: string): { day: number; parent: string } | null {
  const end = key.lastIndexOf('/');
  const start = key.lastIndexOf('/', end - 1) + 1;
  if (end <= 0 || start < prefix.lastIndexOf('/') + 1 || end - start !== DAY_DIGITS) return null;
  const day = dayOfFolder(key.slice(start, end + 1));
  return day === null ? null : { day, parent: key.slice(0, start) };
}

function describeWindow(window: DayWindow): string {
  const first = window.firstDay === null ? 'any day' : dayName(window.firstDay);
  const last = window.lastDay === null ? 'any later day' : dayName(window.lastDay);
  return ` from ${first} to ${last} (--from/--to with --late-days)`;
}
