// `s3://bucket/prefix` inputs (README "Nightly backfill from S3"): parsing and naming. Pure.

export interface S3Location {
  readonly bucket: string;
  /** A key prefix, as S3 matches it (a plain string prefix; '' for the whole bucket). */
  readonly prefix: string;
}

const S3_URL = /^s3:\/\/([^/]+)(?:\/(.*))?$/i;
/** S3's bucket naming rules, loosely: 3-63 characters of lower-case letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Url(input: string): boolean {
  return /^s3:\/\//i.test(input);
}

/** The bucket and prefix of an `s3://` input, or why it is not one. */
export function parseS3Url(input: string): S3Location | { readonly error: string } {
  const match = S3_URL.exec(input);
  if (match === null) return { error: `input ${input}: expected s3://bucket/prefix` };
  const bucket = match[1]!;
  if (!BUCKET_NAME.test(bucket)) return { error: `input ${input}: "${bucket}" is not a valid S3 bucket name` };
  return { bucket, prefix: match[2] ?? '' };
}

/** The name an object goes by in reports, rejects, dry-run records and the checkpoint. */
export function objectUrl(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
