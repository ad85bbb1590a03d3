import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ResumePolicy } from '../input/s3/object.js';

/** stderr as the CLI sees it: a terminal reports `isTTY` and its width (`columns`, 0 on some ptys). */
export type ErrorStream = Writable & { isTTY?: boolean; columns?: number };

/** Every seam between the CLI and the process, injected so tests need no global patching. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: ErrorStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where SIGINT/SIGTERM come from (the process by default). */
  readonly signals?: EventEmitter;
  readonly now?: () => number;
  /** For `s3://` inputs: a client of the caller's (tests point one at a local server), a listing page size, read-resume timings. */
  readonly s3?: { readonly client?: S3Client; readonly maxKeys?: number; readonly resume?: Partial<ResumePolicy> };
}

/** NO_COLOR set to anything but the empty string turns colour off (https://no-color.org). */
export function noColor(env: CliIo['env']): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
