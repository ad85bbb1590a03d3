import type { Writable } from 'node:stream';
import { checkReadable } from '../../diff/read-records.js';
import { diffFiles, type DiffOptions } from '../../diff/diff-files.js';
import { ANSI_COLOUR, NO_COLOUR, renderHuman, renderJson } from '../../diff/render.js';
import { noColor, type CliIo } from '../io.js';
import { DiffInputError, UsageError } from '../../errors.js';

export interface DiffFlags {
  readonly json?: boolean;
  /** --color (true) or --no-color (false); unset: decided by the terminal and NO_COLOR. */
  readonly color?: boolean;
}

/** Exit codes of `diff`, as with diff(1). */
export const DIFF_EXIT = { identical: 0, different: 1, badInput: 2 } as const;

/**
 * `mpx-replay diff <before> <after>`: the differences on stdout (human, or `--json`), exit 0
 * when identical, 1 when not; unreadable or malformed input is a UsageError (exit 2).
 */
export async function runDiffCommand(before: string, after: string, flags: DiffFlags, io: CliIo, options: DiffOptions = {}): Promise<number> {
  if (before === '-' && after === '-') throw new UsageError('diff: only one of <before> and <after> can be "-" (stdin)');
  const result = await (async () => {
    await checkReadable(before);
    await checkReadable(after);
    return diffFiles(before, after, { stdin: io.stdin, ...options });
  })().catch((error: unknown) => {
    throw error instanceof DiffInputError ? new UsageError(`diff: ${error.message}`) : error;
  });

  const chunks = flags.json === true ? [renderJson(result)] : renderHuman(result, useColour(io, flags.color) ? ANSI_COLOUR : NO_COLOUR);
  await writeAll(io.stdout, chunks);
  return result.identical ? DIFF_EXIT.identical : DIFF_EXIT.different;
}

/** --color / --no-color decide; otherwise colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
function useColour(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const stdout = io.stdout as { isTTY?: boolean };
  return stdout.isTTY === true && !noColor(io.env);
}

const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * Write with backpressure; stop quietly when the reader goes away (`diff … | head` closes
 * stdout early: EPIPE is not an error of the diff, and the exit code still says what was found).
 */
async function writeAll(stream: Writable, chunks: Iterable<string>): Promise<void> {
  let gone = false;
  // Stays attached: an EPIPE can also arrive after the last write returned.
  stream.on('error', () => {
    gone = true;
  });
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= WRITE_CHUNK_CHARS) {
      if (gone || !(await put(stream, buffer))) return;
      buffer = '';
    }
  }
  if (buffer !== '' && !gone) await put(stream, buffer);
}

/** Resolves true once the stream can take more, false if it closed or failed first. */
function put(stream: Writable, text: string): Promise<boolean> {
  if (stream.destroyed) return Promise.resolve(false);
  if (stream.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ok: boolean) => (): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onClose);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    stream.once('drain', onDrain);
    stream.once('close', onClose);
    stream.once('error', onClose);
  });
}
