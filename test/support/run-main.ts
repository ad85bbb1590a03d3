/** Run the CLI in-process through `main(argv, io)` with injected streams, env, signals and clock. */
import { EventEmitter } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface MainResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MainOptions {
  readonly env?: Record<string, string>;
  readonly stdin?: Readable;
  /** Pretend stdout is a terminal. */
  readonly tty?: boolean;
  /** The run's clock; omitted, the real clock is used. */
  readonly now?: () => number;
  /** `s3://` seams: the client, listing page size, resume timings. */
  readonly s3?: CliIo['s3'];
}

export async function runMain(argv: string[], options: MainOptions = {}): Promise<MainResult> {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(Buffer.from(chunk)));
  stderr.on('data', (chunk: Buffer) => err.push(Buffer.from(chunk)));
  const code = await main(argv, {
    stdin: options.stdin ?? Readable.from([]),
    stdout,
    stderr,
    env: { ...options.env },
    signals: new EventEmitter(),
    ...(options.now && { now: options.now }),
    ...(options.s3 && { s3: options.s3 }),
  });
  // Let the last 'data' events arrive.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
