import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { runMain, type MainResult } from './run-main.js';

/** A temp directory for one test file, removed by the returned cleanup. */
export function makeTempDir(): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mpx-diff-test-'));
  let counter = 0;
  return {
    path: (name) => {
      counter += 1;
      return join(dir, `${counter}-${name}`);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type RunResult = MainResult;

export interface RunOptions {
  readonly env?: Record<string, string>;
  /** Pretend stdout is a terminal. */
  readonly tty?: boolean;
  readonly stdin?: Readable;
}

/** Run the CLI in-process with injected streams and a fixed clock. */
export function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  return runMain(argv, { ...options, now: () => Date.UTC(2026, 10, 30, 12, 0, 0) });
}

export interface DryLine {
  endpoint: '/import' | '/engage' | '/groups';
  file: string;
  line: number;
  messageId: string | null;
  record: Record<string, unknown>;
}

/** A /import dry-run line for a message. */
export function trackLine(line: number, messageId: string | null, event: string, properties: Record<string, unknown> = {}, file = 'events.ndjson'): DryLine {
  return { endpoint: '/import', file, line, messageId, record: { event, properties: { distinct_id: `user-${line}`, ...properties } } };
}

export function engageLine(line: number, messageId: string | null, operation: string, values: Record<string, unknown>, file = 'events.ndjson'): DryLine {
  return { endpoint: '/engage', file, line, messageId, record: { $token: '<token>', $distinct_id: `user-${line}`, [operation]: values } };
}

export function writeDry(path: string, lines: readonly (DryLine | string)[]): string {
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + (lines.length > 0 ? '\n' : ''));
  return path;
}

/** Strip ANSI colour codes. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[\d+m/g, '');
}
