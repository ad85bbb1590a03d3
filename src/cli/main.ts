import type { Writable } from 'node:stream';
import { CommanderError } from 'commander';
import { type CliIo } from './io.js';
import { buildProgram } from './program.js';
import { EXIT, UsageError } from '../errors.js';

/** Run the CLI and return the exit code. The only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  ignoreClosedReader(io.stdout);
  ignoreClosedReader(io.stderr);
  const result = { code: EXIT.ok as number };
  const program = buildProgram(io, result);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.stderr.write(`mpx-replay: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`mpx-replay: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.fatal;
  }
}

/**
 * A reader that goes away (`mpx-replay --help | head -1`) ends that output, not the program: an
 * EPIPE is not a failure of the run. Any other write error is left to surface.
 */
function ignoreClosedReader(stream: Writable): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
