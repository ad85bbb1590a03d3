// What an S3 failure means to a user (README "Nightly backfill from S3"): a message naming the URL,
// and whether reading again can help.

interface SdkFailure {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const RETRYABLE_NAMES = new Set(['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable', 'TimeoutError', 'AbortError', 'RequestTimeoutException']);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** A network break, a 5xx, a throttle or a stall: worth a retry. */
export function isRetryable(error: unknown): boolean {
  const failure = error as SdkFailure;
  const status = failure.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (failure.name !== undefined && RETRYABLE_NAMES.has(failure.name)) return true;
  if (failure.code !== undefined && RETRYABLE_CODES.has(failure.code)) return true;
  return status === undefined && /socket hang up|aborted|premature|ECONNRESET|stalled/i.test(failure.message ?? '');
}

/** A failure of a call on `url` as one line a user can act on. */
export function describeS3Failure(error: unknown, url: string): string {
  const failure = error as SdkFailure;
  const name = failure.name ?? 'Error';
  const detail = (failure.message ?? '').trim();
  const kms = /kms/i.test(name) || /kms|key management/i.test(detail);
  if (kms) return `${url}: cannot decrypt the object with its KMS key (${name}: ${detail}); the credentials need kms:Decrypt on that key`;
  switch (name) {
    case 'NoSuchBucket':
      return `${url}: the bucket does not exist (NoSuchBucket)`;
    case 'NoSuchKey':
      return `${url}: no such object (NoSuchKey); was it deleted after the listing?`;
    case 'AccessDenied':
    case 'Forbidden':
    case 'AllAccessDisabled':
      return `${url}: access denied (${name}); the credentials need s3:ListBucket on the bucket and s3:GetObject on its objects`;
    case 'PreconditionFailed':
      return `${url}: the object was rewritten while it was being read (its ETag changed); run again to read the new version`;
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
      return `${url}: the AWS credentials were refused (${name}); check the profile or environment they come from`;
    case 'CredentialsProviderError':
      return `${url}: no AWS credentials found (${detail}); set a profile (--aws-profile, AWS_PROFILE) or the environment`;
    default: {
      const status = failure.$metadata?.httpStatusCode;
      return `${url}: S3 answered ${name}${status === undefined ? '' : ` (HTTP ${status})`}${detail === '' || detail === name ? '' : `: ${detail}`}`;
    }
  }
}
