import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseSettings } from '../../config/settings.js';
import { DRY_RUN_TOKEN, resolveRunConfig, type ImportFlags, type RunConfig } from '../../config/run-config.js';
import { Accounting } from '../../pipeline/account.js';
import { dryRunSink } from '../../pipeline/dry-run-sink.js';
import { expandInputs, InputError } from '../../pipeline/inputs.js';
import type { FileSummary } from '../../pipeline/read.js';
import { formatReject, redact } from '../../pipeline/rejects.js';
import { buildReport, EXIT, NO_DELIVERY, type DeliveryStats, type Report } from '../../pipeline/report.js';
import { runPipeline, type RecordSink } from '../../pipeline/run.js';
import { TextWriter } from '../../pipeline/text-writer.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { startProgress } from '../progress.js';
import { renderReport } from '../render-report.js';

/** `mpx-replay import <inputs…>`: resolve the configuration, run the pipeline, report, exit code. */
export async function runImportCommand(inputs: string[], flags: ImportFlags, io: CliIo): Promise<number> {
  const now = io.now ?? Date.now;
  const config = await loadConfig(inputs, flags, io);
  const files = await expandInputs(config.inputs).catch((error: unknown) => {
    throw error instanceof InputError ? new UsageError(error.message) : error;
  });

  const startedAt = now();
  const accounting = new Accounting();
  const fileSummaries: FileSummary[] = [];
  const rejectsWriter = config.rejects === null ? null : new TextWriter(createWriteStream(config.rejects));
  const dryOut = config.dryRun ? new TextWriter(config.out === null ? io.stdout : createWriteStream(config.out)) : null;
  const sink: RecordSink = dryOut !== null ? dryRunSink(dryOut) : unsupportedDelivery();
  const http: DeliveryStats = NO_DELIVERY;

  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  const signals = io.signals ?? process;
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const progress = startProgress(io, accounting, config.progress, config.dryRun ? 'dry run' : 'import');
  let fatal: string | null = null;
  try {
    await runPipeline({
      files,
      mapping: { settings: config.settings, identity: config.identity, token: config.dryRun ? DRY_RUN_TOKEN : config.token, runStartMs: startedAt },
      filter: config.filter,
      sink,
      accounting,
      stdin: io.stdin,
      onFile: (summary) => fileSummaries.push(summary),
      stopped: () => interrupted,
      onSettle: (ref, outcome, text) => {
        if (outcome.kind === 'rejected' && rejectsWriter !== null) return rejectsWriter.write(formatReject(ref, outcome.stage, outcome.reason, text, config.secrets));
      },
    });
  } catch (error) {
    fatal = redact((error as Error).message, config.secrets);
  } finally {
    progress.stop();
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    await rejectsWriter?.close(true);
    await dryOut?.close(config.out !== null);
  }

  const report = buildReport({ mode: config.dryRun ? 'dry-run' : 'import', accounting, inputs: fileSummaries, http, wallMs: now() - startedAt, fatal, interrupted });
  writeReport(report, config, io);
  return report.exitCode;
}

async function loadConfig(inputs: string[], flags: ImportFlags, io: CliIo): Promise<RunConfig> {
  const settingsPath = flags.settings ?? io.env.MPX_SETTINGS;
  let rawSettings: unknown = {};
  if (settingsPath !== undefined) {
    const text = await readFile(settingsPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--settings ${settingsPath}: cannot read it (${error.code ?? error.message})`);
    });
    try {
      rawSettings = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--settings ${settingsPath}: not valid JSON (${(error as Error).message})`);
    }
  }
  const parsed = parseSettings(rawSettings, settingsPath ?? 'settings');
  if (!parsed.ok) throw new UsageError(parsed.errors.join('\n'));
  const resolved = resolveRunConfig(inputs, flags, io.env, parsed.settings);
  if ('errors' in resolved) throw new UsageError(resolved.errors.join('\n'));
  const quiet = flags.quiet === true;
  if (!quiet) for (const warning of parsed.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (resolved.config.dryRun && !quiet) io.stderr.write(`dry run: nothing is sent; records carry the placeholder token "${DRY_RUN_TOKEN}"\n`);
  return resolved.config;
}

/** Human report on stderr; `--json` on stdout (for a dry run to stdout, on stderr so records stay clean). */
function writeReport(report: Report, config: RunConfig, io: CliIo): void {
  if (config.json) {
    const json = redact(`${JSON.stringify(report)}\n`, config.secrets);
    (config.dryRun && config.out === null ? io.stderr : io.stdout).write(json);
  } else if (!config.quiet || report.exitCode !== EXIT.ok) {
    io.stderr.write(redact(renderReport(report), config.secrets));
  }
}

function unsupportedDelivery(): RecordSink {
  throw new UsageError('delivery is not available yet: use --dry-run');
}
