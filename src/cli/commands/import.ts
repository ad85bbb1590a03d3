import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ACTIONS_ONLY_FIELDS, parseSettings, presetKeysOf } from '../../config/settings.js';
import { DRY_RUN_TOKEN, resolveRunConfig, type ImportFlags, type RunConfig } from '../../config/run-config.js';
import { expandInputs } from '../../input/expand.js';
import { formatReject } from '../../run/rejects-file.js';
import { Checkpoint, checkpointScope } from '../../run/checkpoint.js';
import { CheckpointLock, type LockProcess } from '../../run/checkpoint-lock.js';
import { Replay } from '../../run/replay.js';
import { buildReport, type Report } from '../../run/report.js';
import { TextWriter } from '../../lib/text-writer.js';
import type { CliIo } from '../io.js';
import { sendingLine } from '../announce.js';
import { startProgress } from '../progress.js';
import type { ProgressSnapshot } from '../progress-format.js';
import { renderReport } from '../render-report.js';
import { CheckpointError, EXIT, InputError, UsageError } from '../../errors.js';
import { systemClock } from '../../lib/clock.js';
import { redact } from '../../lib/redact.js';
import { receivedDayWindow } from '../../input/s3/received-days.js';
import { S3Access } from '../../input/s3/access.js';
import { S3Inputs } from '../../input/s3/source.js';
import { isS3Url } from '../../input/s3/url.js';

/** `mpx-replay import <inputs…>`: resolve the configuration, run the replay, report, exit code. */
export async function runImportCommand(inputs: string[], flags: ImportFlags, io: CliIo): Promise<number> {
  const { config, settingsWarnings } = await loadConfig(inputs, flags, io);
  const s3 = config.inputs.some(isS3Url) ? await openS3Inputs(config, io) : null;
  try {
    return await importFrom(config, settingsWarnings, s3, io);
  } finally {
    await s3?.close();
  }
}

async function importFrom(config: RunConfig, settingsWarnings: readonly string[], s3: S3Inputs | null, io: CliIo): Promise<number> {
  const asUsage = (error: unknown): never => {
    throw error instanceof InputError ? new UsageError(error.message) : error;
  };
  const files = await expandInputs(config.inputs, s3).catch(asUsage);
  await s3?.probe().catch(asUsage);
  // A cron job must not report success on nothing (README "Exit codes").
  if (files.length === 0) throw new UsageError(`no input file in ${config.inputs.join(' ')} (looked for .ndjson, .jsonl, .json and .gz): nothing to send`);
  const totalBytes = await inputBytes(files, s3);
  // One run per checkpoint: the lock is let go when the run ends, also on a second Ctrl-C (process.exit).
  const lock = config.checkpoint === null ? null : await CheckpointLock.take(config.checkpoint, THIS_PROCESS).catch(refused);
  const release = (): void => lock?.release();
  process.on('exit', release);
  try {
    if (lock?.notice && !config.quiet) io.stderr.write(`notice: ${lock.notice}\n`);
    return await deliver(config, settingsWarnings, s3, files, totalBytes, io);
  } finally {
    process.off('exit', release);
    release();
  }
}

/** What a lock knows of this process; a pid that does not exist throws ESRCH (EPERM: it exists, not ours). */
const THIS_PROCESS: LockProcess = {
  pid: process.pid,
  now: Date.now,
  isAlive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ESRCH';
    }
  },
};

async function deliver(config: RunConfig, settingsWarnings: readonly string[], s3: S3Inputs | null, files: string[], totalBytes: number | null, io: CliIo): Promise<number> {
  const checkpoint = config.checkpoint === null ? undefined : await openCheckpoint(config, files, s3);
  if (!config.quiet) for (const notice of checkpoint?.notices ?? []) io.stderr.write(`notice: ${notice}\n`);
  // A rejects file that cannot be written (a full disk) stops the run as fatal (README "Exit codes").
  let failed = (_reason: string): void => undefined;
  const rejectsWriter =
    config.rejects === null ? null : new TextWriter(await openForWriting('--rejects', config.rejects), (error) => failed(`cannot write the rejects file ${config.rejects}: ${error.code ?? error.message}`));
  const output = config.dryRun ? (config.out === null ? io.stdout : await openForWriting('--out', config.out)) : null;
  const replay = new Replay(config, files, {
    stdin: io.stdin,
    output,
    checkpoint,
    s3,
    ...(io.now && { clock: { now: io.now, sleep: systemClock.sleep } }),
    ...(rejectsWriter && {
      rejects: {
        write: (ref, outcome, text, written) => rejectsWriter.write(formatReject(ref, outcome.stage, outcome.reason, text, config.secrets), written),
        close: () => rejectsWriter.close(true),
      },
    }),
  });
  failed = (reason) => replay.fail(reason);

  let signalsSeen = 0;
  const onSignal = (): void => {
    signalsSeen += 1;
    if (signalsSeen === 1) {
      io.stderr.write('\nmpx-replay: stopping: finishing the requests in flight (press Ctrl-C again to quit at once)\n');
      replay.interrupt();
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  const signals = io.signals ?? process;
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  if (config.delivery !== null && !config.dryRun && !config.quiet) io.stderr.write(`${sendingLine(config.delivery, config.token, config.inputs, files.length, totalBytes)}\n`);
  const progress = await startProgress(io, () => progressSnapshot(replay, config.dryRun, totalBytes), config.progress);
  const now = io.now ?? Date.now;
  const startedAtMs = now();
  try {
    const result = await replay.run();
    progress.stop();
    if (output !== null && output !== io.stdout) await new Promise<void>((resolve) => output.end(resolve));
    if (!result.interrupted && result.fatal === null && result.inputs.every((input) => input.lines === 0)) {
      throw new UsageError(`the inputs hold no line at all (${files.length} file${files.length === 1 ? '' : 's'} read): nothing to send`);
    }
    const report = buildReport({
      mode: config.dryRun ? 'dry-run' : 'import',
      preset: config.preset,
      ...result,
      s3: s3?.summary() ?? null,
      fatal: result.fatal === null ? null : redact(result.fatal, config.secrets),
      files,
      current: replay.position().file,
      startedAtMs,
      endedAtMs: now(),
      settingsWarnings,
    });
    writeReport(report, config, io);
    if (report.status === 'interrupted' && !config.dryRun && config.checkpoint === null) {
      io.stderr.write('warning: interrupted without --checkpoint: a re-run starts from the first line; events are deduplicated by $insert_id, but the $add/$append profile updates already delivered are sent, and counted, again\n');
    }
    return report.exitCode;
  } finally {
    progress.stop();
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  }
}

function progressSnapshot(replay: Replay, dryRun: boolean, bytesTotal: number | null): ProgressSnapshot {
  const a = replay.accounting;
  const position = replay.position();
  let records = 0;
  for (const n of (dryRun ? a.recordsBuilt : a.recordsDelivered).values()) records += n;
  return {
    label: dryRun ? 'dry run' : 'import',
    phase: position.phase,
    lines: a.linesRead,
    records,
    bytesRead: position.bytesRead,
    bytesTotal,
    file: position.file,
    retries: position.http.retries,
    status429: position.http.status429,
    rateLimitedUntil: position.rateLimitedUntil,
  };
}

/** The inputs' total size in bytes; null when one has no size known up front (stdin). */
async function inputBytes(files: readonly string[], s3: S3Inputs | null): Promise<number | null> {
  const sizeOf = (file: string): Promise<number | null> | number | null => {
    if (file === '-') return null;
    if (isS3Url(file)) return s3?.identity(file)?.size ?? null;
    return stat(file).then((info) => info.size, () => null);
  };
  const sizes = await Promise.all(files.map(sizeOf));
  return sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + size!, 0);
}

/** Open an output file before anything runs, so a bad path is a usage error (exit 2). */
async function openForWriting(flag: string, path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new UsageError(`${flag} ${path}: cannot write it (${error.code ?? error.message})`)));
  });
  return stream;
}

/**
 * The settings that decide the mapping, without credentials. Under the classic preset the
 * Actions keys are left out, so journals written before they existed keep their scope.
 */
function scopeSettings(config: RunConfig): object {
  const scoped: Record<string, unknown> = { ...config.settings, token: null, apiSecret: null };
  if (config.preset === 'classic') for (const field of ACTIONS_ONLY_FIELDS) delete scoped[field];
  return scoped;
}

/** The S3 side of a run: the client (the SDK's credential chain, or the one `io` hands in) and the day window. */
async function openS3Inputs(config: RunConfig, io: CliIo): Promise<S3Inputs> {
  // The SDK warns on Node 20 that its releases from 2027 on need Node 22; the version we pin supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const access = await S3Access.open({ profile: config.s3.profile, endpoint: config.s3.endpoint }, io.s3?.client);
  return new S3Inputs({
    access,
    window: receivedDayWindow(config.filter.fromMs, config.filter.toMs, config.s3.lateDays),
    maxKeys: io.s3?.maxKeys,
    resume: io.s3?.resume,
    onNotice: (text) => void (config.quiet || io.stderr.write(`notice: ${text}\n`)),
  });
}

async function openCheckpoint(config: RunConfig, files: readonly string[], s3: S3Inputs | null): Promise<Checkpoint> {
  const filter = { types: config.filter.types === null ? null : [...config.filter.types].sort(), fromMs: config.filter.fromMs, toMs: config.filter.toMs, skipDeviceMode: config.filter.skipDeviceMode };
  const scope = checkpointScope(scopeSettings(config), config.identity, filter, config.preset, config.actionsAlias);
  const identify = (file: string) => {
    const object = s3?.identity(file) ?? null;
    return object === null ? null : { size: object.size, head: `etag ${object.etag}` };
  };
  return Checkpoint.open(config.checkpoint!, scope, files, config.force, identify).catch(refused);
}

/** A refused checkpoint is a usage error (exit 2). */
function refused(error: unknown): never {
  throw error instanceof CheckpointError ? new UsageError(error.message) : error;
}

async function loadConfig(inputs: string[], flags: ImportFlags, io: CliIo): Promise<{ config: RunConfig; settingsWarnings: readonly string[] }> {
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
  const resolved = resolveRunConfig(inputs, flags, io.env, parsed.settings, io.now?.() ?? Date.now(), presetKeysOf(rawSettings));
  if ('errors' in resolved) throw new UsageError(resolved.errors.join('\n'));
  const quiet = flags.quiet === true;
  // Settings warnings are shown even with --quiet: an ignored setting changes what is sent (README "Settings").
  for (const warning of parsed.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (!quiet) for (const warning of resolved.config.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (resolved.config.dryRun && !quiet) io.stderr.write(`dry run: nothing is sent; records carry the placeholder token "${DRY_RUN_TOKEN}"\n`);
  return { config: resolved.config, settingsWarnings: parsed.warnings };
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
