import type { Accounting, ReasonCount } from './accounting.js';
import { EXIT } from '../errors.js';
import type { DeliveryStats } from '../delivery/stats.js';
import type { FileSummary } from '../input/types.js';
import type { S3Summary } from '../input/s3-source.js';

export type RunStatus = 'ok' | 'rejected' | 'fatal' | 'interrupted';

/** The final report, version 1: the JSON form of `--json` (documented in the README). */
export interface Report {
  version: 1;
  mode: 'dry-run' | 'import';
  /** The mapping preset (README "Replaying a workspace that uses Mixpanel (Actions)"). */
  preset: 'classic' | 'actions';
  status: RunStatus;
  exitCode: number;
  error: string | null;
  messages: { read: number; delivered: number; skipped: number; rejected: number; unsettled: number; byType: Record<string, number> };
  records: { built: Record<string, number>; delivered: Record<string, number>; rejected: Record<string, number> };
  skipped: Record<string, ReasonCount>;
  rejected: Record<string, ReasonCount>;
  warnings: Record<string, number>;
  /** Messages replayed although device mode had sent them to Mixpanel already (`_metadata.bundled`). */
  deviceMode: number;
  /** Things the user should know that are not errors, e.g. about device-mode messages. */
  notices: string[];
  inputs: FileSummary[];
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
  s3?: S3Summary | null;
}): Report {
  const { accounting: a, inputs, http, wallMs, fatal, interrupted } = args;
  const truncated = inputs.some((f) => f.truncated !== null);
  const status: RunStatus = interrupted ? 'interrupted' : fatal !== null ? 'fatal' : a.linesRejected > 0 || truncated ? 'rejected' : 'ok';
  const delivered = sum(args.mode === 'dry-run' ? a.recordsBuilt : a.recordsDelivered);
  return {
    version: 1,
    mode: args.mode,
    preset: args.preset ?? 'classic',
    status,
    exitCode: EXIT[status],
    error: fatal,
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
    },
    skipped: Object.fromEntries(a.skipped),
    rejected: Object.fromEntries(a.rejected),
    warnings: Object.fromEntries(a.warnings),
    deviceMode: a.deviceMode,
    notices: notices(a, args.mode),
    inputs,
    resumed: args.resumed,
    ...(args.s3 && { s3: args.s3 }),
    http,
    wallMs: Math.round(wallMs),
    recordsPerSecond: wallMs > 0 ? Math.round((delivered / wallMs) * 1000) : 0,
  };
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
