import type { Accounting, ReasonCount } from './accounting.js';
import { EXIT } from '../errors.js';
import { reasonCode } from '../outcomes.js';
import { TOOL } from '../version.js';
import type { DeliveryStats } from '../delivery/stats.js';
import type { FileSummary } from '../input/types.js';
import type { S3Summary } from '../input/s3/source.js';

export type RunStatus = 'ok' | 'rejected' | 'fatal' | 'interrupted';

/** A reason's count with its machine code beside the human text (README "The JSON report"). */
export type CodedReason = ReasonCount & { code: string };

/** One input: as read to its end, or, when the run stopped first, partly or not at all. */
export type InputReport = (FileSummary & { read: 'complete' }) | { file: string; read: 'partial' | 'none' };

/**
 * The final report, version 2: the JSON form of `--json` (documented in the README). Version 2
 * lists every input, also when the run stopped before reading it (version 1 listed only the
 * inputs read to their end), and adds codes, the tool, the times and the settings warnings.
 */
export interface Report {
  version: 2;
  tool: { name: string; version: string };
  mode: 'dry-run' | 'import';
  /** The mapping preset (README "Replaying a workspace that uses Mixpanel (Actions)"). */
  preset: 'classic' | 'actions';
  status: RunStatus;
  exitCode: number;
  error: string | null;
  /** A machine code for `error` (null when there is none). */
  errorCode: string | null;
  startedAt: string;
  endedAt: string;
  messages: { read: number; delivered: number; skipped: number; rejected: number; unsettled: number; byType: Record<string, number> };
  /** `resumed`: records of unsettled lines an earlier run had delivered (acknowledged `$add`/`$append`), not sent again. */
  records: { built: Record<string, number>; delivered: Record<string, number>; rejected: Record<string, number>; resumed: Record<string, number> };
  skipped: Record<string, CodedReason>;
  rejected: Record<string, CodedReason>;
  warnings: Record<string, number>;
  /** Settings keys that were ignored (unknown, browser-only). */
  settingsWarnings: string[];
  /** Messages replayed although device mode had sent them to Mixpanel already (`_metadata.bundled`). */
  deviceMode: number;
  /** Things the user should know that are not errors, e.g. about device-mode messages. */
  notices: string[];
  inputs: InputReport[];
  /** Lines not read again because the checkpoint had them settled. */
  resumed: number;
  /** Only with `s3://` inputs: the received days, objects and bytes read. */
  s3?: S3Summary;
  http: DeliveryStats;
  wallMs: number;
  recordsPerSecond: number;
}

export function buildReport(args: {
  mode: Report['mode'];
  preset?: Report['preset'];
  accounting: Accounting;
  inputs: FileSummary[];
  http: DeliveryStats;
  wallMs: number;
  fatal: string | null;
  interrupted: boolean;
  resumed: number;
  /** Every input file, in order, and the one being read when the run stopped. */
  files: readonly string[];
  current: string | null;
  startedAtMs: number;
  endedAtMs: number;
  settingsWarnings: readonly string[];
  s3?: S3Summary | null;
}): Report {
  const { accounting: a, inputs, http, wallMs, fatal, interrupted } = args;
  const truncated = inputs.some((f) => f.truncated !== null);
  const status: RunStatus = interrupted ? 'interrupted' : fatal !== null ? 'fatal' : a.linesRejected > 0 || truncated ? 'rejected' : 'ok';
  const delivered = sum(args.mode === 'dry-run' ? a.recordsBuilt : a.recordsDelivered);
  return {
    version: 2,
    tool: { name: TOOL.name, version: TOOL.version },
    mode: args.mode,
    preset: args.preset ?? 'classic',
    status,
    exitCode: EXIT[status],
    error: fatal,
    errorCode: fatal === null ? null : errorCode(fatal),
    startedAt: new Date(args.startedAtMs).toISOString(),
    endedAt: new Date(args.endedAtMs).toISOString(),
    messages: {
      read: a.linesRead,
      delivered: a.linesDelivered,
      skipped: a.linesSkipped,
      rejected: a.linesRejected,
      unsettled: a.unsettled,
      byType: Object.fromEntries(a.messagesByType),
    },
    records: {
      built: Object.fromEntries(a.recordsBuilt),
      delivered: Object.fromEntries(args.mode === 'dry-run' ? new Map() : a.recordsDelivered),
      rejected: Object.fromEntries(a.recordsRejected),
      resumed: Object.fromEntries(a.recordsResumed),
    },
    skipped: coded('skipped', a.skipped),
    rejected: coded('rejected', a.rejected),
    warnings: Object.fromEntries(a.warnings),
    settingsWarnings: [...args.settingsWarnings],
    deviceMode: a.deviceMode,
    notices: notices(a, args.mode),
    inputs: inputReports(args.files, inputs, args.current),
    resumed: args.resumed,
    ...(args.s3 && { s3: args.s3 }),
    http,
    wallMs: Math.round(wallMs),
    recordsPerSecond: wallMs > 0 ? Math.round((delivered / wallMs) * 1000) : 0,
  };
}

function coded(kind: 'skipped' | 'rejected', reasons: Map<string, ReasonCount>): Record<string, CodedReason> {
  const out: Record<string, CodedReason> = Object.create(null) as Record<string, CodedReason>;
  for (const [reason, count] of reasons) out[reason] = { code: reasonCode(kind, count.stage, reason), ...count };
  return out;
}

/** Every input in order: the summaries of those read to the end, the others marked. */
function inputReports(files: readonly string[], read: readonly FileSummary[], current: string | null): InputReport[] {
  const done = new Map(read.map((summary) => [summary.file, summary]));
  return files.map((file) => {
    const summary = done.get(file);
    if (summary !== undefined) return { ...summary, read: 'complete' as const };
    return { file, read: file === current ? ('partial' as const) : ('none' as const) };
  });
}

/** The machine code of a fatal error (README "The JSON report"). */
export function errorCode(message: string): string {
  if (/giving up after \d+ attempts: 429/.test(message)) return 'rate_limited';
  if (/giving up after/.test(message)) return 'retries_exhausted';
  if (/answered 40[13]/.test(message)) return 'auth_failed';
  if (/a redirect /.test(message)) return 'redirected';
  if (/^checkpoint /.test(message)) return 'checkpoint_failed';
  if (/dry-run records/.test(message)) return 'output_failed';
  return 'fatal';
}

function notices(a: Accounting, mode: Report['mode']): string[] {
  if (a.deviceMode === 0) return [];
  const count = a.deviceMode === 1 ? '1 message was' : `${a.deviceMode} messages were`;
  return [`${count} ${mode === 'dry-run' ? 'mapped' : 'replayed'} that device mode had sent to Mixpanel already (_metadata.bundled lists Mixpanel); --skip-device-mode skips them`];
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}
