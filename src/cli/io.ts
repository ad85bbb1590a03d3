import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** Every seam between the CLI and the process, injected so tests need no global patching. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where SIGINT/SIGTERM come from (the process by default). */
  readonly signals?: EventEmitter;
  readonly now?: () => number;
}
