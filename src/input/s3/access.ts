import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';

type Sdk = typeof import('@aws-sdk/client-s3');

/**
 * Where the S3 client comes from (README "Nightly backfill from S3"): the AWS SDK's standard chain
 * for credentials and region, a named profile, and an endpoint for S3-compatible stores. No key
 * is ever taken here: credentials are the SDK's business.
 */
export interface S3ClientSettings {
  /** `--aws-profile`; null: AWS_PROFILE or the default profile, as the SDK decides. */
  readonly profile: string | null;
  /** `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`): an S3-compatible store, addressed path-style. */
  readonly endpoint: string | null;
}

/** One page of a listing. */
export interface ListPage {
  readonly objects: ReadonlyArray<{ readonly key: string; readonly size: number; readonly etag: string }>;
  readonly next: string | null;
}

export interface ObjectBody {
  readonly stream: Readable;
  readonly contentLength: number | null;
  /** `bytes <first>-<last>/<size>` when the reply is a range. */
  readonly contentRange: string | null;
}

/** Region used when neither the environment nor the profile names one; other regions are followed by redirect. */
const FALLBACK_REGION = 'us-east-1';

/**
 * The two S3 calls the tool makes (ListObjectsV2, GetObject), over one client. The SDK is loaded
 * only when an `s3://` input is given. Tests hand in their own client (pointed at a local server).
 */
export class S3Access {
  private constructor(
    readonly client: S3Client,
    private readonly sdk: Sdk,
  ) {}

  static async open(settings: S3ClientSettings, client?: S3Client): Promise<S3Access> {
    const sdk = await import('@aws-sdk/client-s3');
    return new S3Access(client ?? (await createClient(sdk, settings)), sdk);
  }

  async listPage(bucket: string, prefix: string, options: { startAfter?: string; token: string | null; maxKeys?: number }): Promise<ListPage> {
    const reply = await this.client.send(
      new this.sdk.ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix === '' ? undefined : prefix,
        StartAfter: options.startAfter,
        ContinuationToken: options.token ?? undefined,
        MaxKeys: options.maxKeys,
      }),
    );
    return {
      objects: (reply.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0, etag: o.ETag ?? '' })),
      next: reply.IsTruncated === true ? (reply.NextContinuationToken ?? null) : null,
    };
  }

  /** GetObject from byte `from` on (a ranged read when it is above 0), for the version `etag` names. */
  async getObject(bucket: string, key: string, from: number, etag: string | null, signal: AbortSignal): Promise<ObjectBody> {
    const reply = await this.client.send(
      new this.sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: from > 0 ? `bytes=${from}-` : undefined, IfMatch: etag ?? undefined }),
      { abortSignal: signal },
    );
    return { stream: reply.Body as Readable, contentLength: reply.ContentLength ?? null, contentRange: reply.ContentRange ?? null };
  }

  close(): void {
    this.client.destroy();
  }
}

async function createClient(sdk: Sdk, settings: S3ClientSettings): Promise<S3Client> {
  const options = {
    ...(settings.profile !== null && { profile: settings.profile }),
    ...(settings.endpoint !== null && { endpoint: settings.endpoint, forcePathStyle: true }),
    followRegionRedirects: true,
    // Checksums only where S3 demands them: listing and reading need none, and an S3-compatible
    // store may not know the newer checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
  const client = new sdk.S3Client(options);
  const region = await client.config.region().catch(() => null);
  if (region !== null) return client;
  client.destroy();
  return new sdk.S3Client({ ...options, region: FALLBACK_REGION });
}
