import type { Writable } from 'node:stream';
import { CommanderError } from 'commander';
import { type CliIo } from './io.js';
import { buildProgram } from './program.js';
import { EXIT, UsageError } from '../errors.js';
import { TOOL } from '../version.js';

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
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      writeJsonError(argv, io, error.message.replace(/^error: /, ''));
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`mpx-replay: ${error.message}\n`);
      writeJsonError(argv, io, error.message);
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

/**
 * With --json, a usage error is also one JSON object on stdout, so a monitor reading stdout sees
 * why nothing ran (README "The JSON report"). The human message stays on stderr.
 */
function writeJsonError(argv: readonly string[], io: CliIo, message: string): void {
  const end = argv.indexOf('--');
  if (!(end === -1 ? argv : argv.slice(0, end)).includes('--json')) return;
  io.stdout.write(`${JSON.stringify({ version: 2, tool: { name: TOOL.name, version: TOOL.version }, status: 'usage', exitCode: EXIT.usage, error: message, errorCode: 'usage' })}\n`);
}
