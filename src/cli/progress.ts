import type { Accounting } from '../run/accounting.js';
import type { CliIo } from './io.js';

const PLAIN_EVERY_MS = 5_000;
const SPIN_EVERY_MS = 200;

export interface Progress {
  stop(): void;
}

/**
 * Live counts on stderr: an ora spinner when stderr is a TTY and CI is unset, otherwise a
 * plain line every few seconds; nothing when disabled (--quiet, --no-progress). ora is loaded
 * only when a spinner is shown: it costs ~13 MB of memory that a cron run or a pipe never uses.
 */
export async function startProgress(io: CliIo, accounting: Accounting, enabled: boolean, label: string): Promise<Progress> {
  if (!enabled) return { stop() {} };
  const now = io.now ?? Date.now;
  const started = now();
  const text = (): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    return `${label}: ${accounting.linesRead} read, ${accounting.linesDelivered} ${label === 'dry run' ? 'mapped' : 'delivered'}, ${accounting.linesSkipped} skipped, ${accounting.linesRejected} rejected, ${Math.round(accounting.linesRead / seconds)} lines/s`;
  };
  if (io.stderr.isTTY === true && !io.env.CI) {
    // Enabled explicitly: the decision above is made from the injected io, not process globals.
    const { default: ora } = await import('ora');
    const spinner = ora({ text: text(), stream: io.stderr, discardStdin: false, isEnabled: true }).start();
    const timer = setInterval(() => (spinner.text = text()), SPIN_EVERY_MS);
    timer.unref();
    return {
      stop() {
        clearInterval(timer);
        spinner.stop();
      },
    };
  }
  const timer = setInterval(() => io.stderr.write(`${text()}\n`), PLAIN_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
