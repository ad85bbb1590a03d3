import { noColor, type CliIo, type ErrorStream } from './io.js';
import { formatPlainLine, formatStatus, RateWindow, type ProgressSnapshot } from './progress-format.js';

/** A plain line this often (a log, a pipe, CI). */
const PLAIN_EVERY_MS = 5_000;
/** The spinner's text is refreshed, and the rates sampled, this often. */
const TICK_MS = 250;
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
 * Live progress on stderr: an ora spinner when `spinnerFits`, otherwise a timestamped plain line
 * every few seconds; nothing when disabled (--quiet, --no-progress). `snapshot` is read on every
 * tick. ora is loaded only when a spinner is shown: it costs ~13 MB of memory that a cron run or
 * a pipe never uses. ora keeps its own checks (it is never forced on), and the spinner gives way
 * to plain lines if the terminal is resized to an unusable width, so output stays one line per
 * frame whatever the terminal reports.
 */
export async function startProgress(io: CliIo, snapshot: () => ProgressSnapshot, enabled: boolean): Promise<Progress> {
  if (!enabled) return { stop() {} };
  const now = io.now ?? Date.now;
  const rates = new RateWindow();
  const sample = (): ProgressSnapshot => {
    const current = snapshot();
    rates.add(now(), current.records, current.bytesRead);
    return current;
  };
  sample();
  const plain = (): Progress => {
    let sinceLine = 0;
    const timer = setInterval(() => {
      const current = sample();
      sinceLine += TICK_MS * 4;
      if (sinceLine < PLAIN_EVERY_MS) return;
      sinceLine = 0;
      io.stderr.write(`${formatPlainLine(current, now(), rates)}\n`);
    }, TICK_MS * 4);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  };
  if (!spinnerFits(io.stderr, io.env)) return plain();

  const { default: ora } = await import('ora');
  const fit = (current: ProgressSnapshot): string => formatStatus(current, now(), rates).slice(0, Math.max(1, (io.stderr.columns ?? MIN_SPINNER_COLUMNS) - 3));
  const spinner = ora({ text: fit(snapshot()), stream: io.stderr, discardStdin: false, interval: TICK_MS, color: noColor(io.env) ? false : 'cyan' }).start();
  let fallback: Progress | null = null;
  const timer = setInterval(() => (spinner.text = fit(sample())), TICK_MS);
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
