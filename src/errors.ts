/** Exit codes (README "Exit codes"). */
export const EXIT = { ok: 0, rejected: 1, usage: 2, fatal: 3, interrupted: 130 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the tool knows how to report: a machine-readable code and the exit code it ends the run with. */
export abstract class KnownError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
}

/** A command line, settings or input mistake found before anything was sent. */
export class UsageError extends KnownError {
  readonly code = 'usage';
  readonly exitCode = EXIT.usage;
}

/** An input path that cannot be read as input (missing, not a file or folder, no input files). */
export class InputError extends KnownError {
  readonly code = 'input';
  readonly exitCode = EXIT.usage;
}

/** A checkpoint file that cannot be used for this run. */
export class CheckpointError extends KnownError {
  readonly code = 'checkpoint';
  readonly exitCode = EXIT.usage;
}

/** A file given to `diff` that is not a dry-run output. */
export class DiffInputError extends KnownError {
  readonly code = 'diff_input';
  readonly exitCode = EXIT.usage;
}

/** Delivery stopped on an error that retrying cannot fix (bad credentials, retries exhausted). */
export class FatalDelivery extends KnownError {
  readonly code = 'fatal_delivery';
  readonly exitCode = EXIT.fatal;
}

/** An input that could not be read to its end mid-run (an S3 object): the file is ended there, like a truncated one. */
export class InputReadError extends Error {}
