/** The pure parts of `s3://` inputs (README "Nightly backfill from S3"): URLs, received days, failure messages. */
import { describe, expect, it } from 'vitest';
import { dayInWindow, dayName, dayOfFolder, receivedDayWindow } from '../../../../src/input/s3/received-days.js';
import { describeS3Failure, isRetryable } from '../../../../src/input/s3/errors.js';
import { parseS3Url } from '../../../../src/input/s3/url.js';

const DAY = 86_400_000;
const NOV_28 = Date.UTC(2026, 10, 28);

describe('parseS3Url', () => {
  it.each([
    ['s3://segment-archive/segment-logs/src1/', { bucket: 'segment-archive', prefix: 'segment-logs/src1/' }],
    ['s3://my.bucket-2', { bucket: 'my.bucket-2', prefix: '' }],
    ['S3://logs-eu/a/b.gz', { bucket: 'logs-eu', prefix: 'a/b.gz' }],
    ['s3://Upper/x', { error: 'input s3://Upper/x: "Upper" is not a valid S3 bucket name' }],
    ['s3:///x', { error: 'input s3:///x: expected s3://bucket/prefix' }],
  ])('%s', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });
});

describe('received-day window: from the day of --from to the day of --to plus --late-days', () => {
  it.each([
    ['both bounds, 2 late days', NOV_28 + 3_600_000, NOV_28 + 7_200_000, 2, { firstDay: NOV_28, lastDay: NOV_28 + 2 * DAY }],
    ['--to at midnight counts its own day', NOV_28, NOV_28 + DAY, 0, { firstDay: NOV_28, lastDay: NOV_28 + DAY }],
    ['only --from: no last day', NOV_28 + 1, null, 5, { firstDay: NOV_28, lastDay: null }],
    ['only --to: no first day', null, NOV_28 + 10, 1, { firstDay: null, lastDay: NOV_28 + DAY }],
  ])('%s', (_name, from, to, late, expected) => {
    expect(receivedDayWindow(from, to, late)).toEqual(expected);
  });

  it('no --from/--to: no narrowing', () => {
    expect(receivedDayWindow(null, null, 2)).toBeNull();
  });

  it.each([
    [NOV_28 - DAY, false],
    [NOV_28, true],
    [NOV_28 + 2 * DAY, true],
    [NOV_28 + 3 * DAY, false],
  ])('day %d in [Nov 28, Nov 30]: %s', (day, inside) => {
    expect(dayInWindow(day, { firstDay: NOV_28, lastDay: NOV_28 + 2 * DAY })).toBe(inside);
  });
});

describe('dayOfFolder: a <received-day> folder is the epoch ms of a UTC midnight', () => {
  it.each([
    [`${NOV_28}/`, NOV_28],
    [`${NOV_28 + 1}/`, null],
    [`${NOV_28}`, null],
    ['2026-11-28/', null],
    ['src_sample/', null],
  ])('%s → %s', (name, day) => {
    expect(dayOfFolder(name)).toBe(day);
  });

  it('names a day as its UTC date', () => {
    expect(dayName(NOV_28)).toBe('2026-11-28');
  });
});

describe('S3 failures: a message naming the URL, and whether a retry can help', () => {
  const URL = 's3://archive/segment-logs/a.gz';
  const failure = (name: string, status: number, message = '') => Object.assign(new Error(message || name), { name, $metadata: { httpStatusCode: status } });

  it.each([
    [failure('NoSuchBucket', 404), `${URL}: the bucket does not exist (NoSuchBucket)`],
    [failure('AccessDenied', 403, 'Access Denied'), `${URL}: access denied (AccessDenied); the credentials need s3:ListBucket on the bucket and s3:GetObject on its objects`],
    [failure('AccessDenied', 403, 'not authorized to perform: kms:Decrypt'), `${URL}: cannot decrypt the object with its KMS key (AccessDenied: not authorized to perform: kms:Decrypt); the credentials need kms:Decrypt on that key`],
    [failure('KMS.DisabledException', 400, 'key is disabled'), `${URL}: cannot decrypt the object with its KMS key (KMS.DisabledException: key is disabled); the credentials need kms:Decrypt on that key`],
    [failure('NoSuchKey', 404), `${URL}: no such object (NoSuchKey); was it deleted after the listing?`],
    [failure('PreconditionFailed', 412), `${URL}: the object was rewritten while it was being read (its ETag changed); run again to read the new version`],
    [failure('InvalidAccessKeyId', 403), `${URL}: the AWS credentials were refused (InvalidAccessKeyId); check the profile or environment they come from`],
    [failure('Teapot', 418, 'short and stout'), `${URL}: S3 answered Teapot (HTTP 418): short and stout`],
  ])('%s', (error, message) => {
    expect(describeS3Failure(error, URL)).toBe(message);
  });

  it.each([
    ['a 503 SlowDown', failure('SlowDown', 503), true],
    ['a 500', failure('InternalError', 500), true],
    ['a connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['a stall', new Error('no data for 300 ms (stalled)'), true],
    ['access denied', failure('AccessDenied', 403), false],
    ['no such key', failure('NoSuchKey', 404), false],
  ])('%s: retryable %s', (_name, error, retryable) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});
