import { CommanderError } from 'commander';
import { type CliIo } from './io.js';
import { buildProgram } from './program.js';
import { EXIT, UsageError } from '../errors.js';

/** Run the CLI and return the exit code. The only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
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
