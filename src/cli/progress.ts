import type { Accounting } from '../run/accounting.js';
import { noColor, type CliIo, type ErrorStream } from './io.js';

const PLAIN_EVERY_MS = 5_000;
const SPIN_EVERY_MS = 200;
/** Narrower than this, a terminal has no room for a spinner line (and 0 makes ora loop forever). */
export const MIN_SPINNER_COLUMNS = 20;

export interface Progress {
  stop(): void;
}

/**
 * The spinner is for a person at a terminal: stderr is a TTY that reports a usable width, CI is
 * unset and TERM is not "dumb" (README "Usage"). Anything else gets plain lines.
 */
export function spinnerFits(stderr: ErrorStream, env: CliIo['env']): boolean {
  return stderr.isTTY === true && usableWidth(stderr.columns) && !env.CI && env.TERM !== 'dumb';
}

function usableWidth(columns: number | undefined): boolean {
  return typeof columns === 'number' && Number.isInteger(columns) && columns >= MIN_SPINNER_COLUMNS;
}

/**
 * Live counts on stderr: an ora spinner when `spinnerFits`, otherwise a plain line every few
 * seconds; nothing when disabled (--quiet, --no-progress). ora is loaded only when a spinner is
 * shown: it costs ~13 MB of memory that a cron run or a pipe never uses. ora keeps its own checks
 * (it is never forced on), and the spinner gives way to plain lines if the terminal is resized
 * to an unusable width, so output stays one line per frame whatever the terminal reports.
 */
export async function startProgress(io: CliIo, accounting: Accounting, enabled: boolean, label: string): Promise<Progress> {
  if (!enabled) return { stop() {} };
  const now = io.now ?? Date.now;
  const started = now();
  const text = (): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    return `${label}: ${accounting.linesRead} read, ${accounting.linesDelivered} ${label === 'dry run' ? 'mapped' : 'delivered'}, ${accounting.linesSkipped} skipped, ${accounting.linesRejected} rejected, ${Math.round(accounting.linesRead / seconds)} lines/s`;
  };
  const plain = (): Progress => {
    const timer = setInterval(() => io.stderr.write(`${text()}\n`), PLAIN_EVERY_MS);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  };
  if (!spinnerFits(io.stderr, io.env)) return plain();

  const { default: ora } = await import('ora');
  const fit = (): string => text().slice(0, Math.max(1, (io.stderr.columns ?? MIN_SPINNER_COLUMNS) - 3));
  const spinner = ora({ text: fit(), stream: io.stderr, discardStdin: false, interval: SPIN_EVERY_MS, color: noColor(io.env) ? false : 'cyan' }).start();
  let fallback: Progress | null = null;
  const timer = setInterval(() => (spinner.text = fit()), SPIN_EVERY_MS);
  timer.unref();
  const stopSpinner = (): void => {
    clearInterval(timer);
    io.stderr.off('resize', onResize);
    spinner.stop();
  };
  // 'resize' comes with the new size already set, before ora draws its next frame.
  const onResize = (): void => {
    if (fallback !== null || usableWidth(io.stderr.columns)) return;
    stopSpinner();
    fallback = plain();
  };
  io.stderr.on('resize', onResize);
  return {
    stop() {
      if (fallback !== null) fallback.stop();
      else stopSpinner();
    },
  };
}
