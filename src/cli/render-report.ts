import type { Report } from '../run/report.js';

/** The human report for stderr: short, aligned, counts first, then reasons with example lines. */
export function renderReport(report: Report): string {
  const m = report.messages;
  const lines: string[] = [];
  const verb = report.mode === 'dry-run' ? 'mapped (dry run)' : 'delivered';
  lines.push(`mpx-replay ${report.mode}${report.preset === 'actions' ? ' (preset actions)' : ''}: ${statusText(report)}`);
  if (report.resumed > 0) lines.push(`  resumed           ${report.resumed} lines already settled by an earlier run (checkpoint)`);
  lines.push(`  messages read     ${m.read}${typeList(m.byType)}`);
  lines.push(`  ${verb.padEnd(17)} ${m.delivered}`);
  lines.push(`  skipped           ${m.skipped}`);
  lines.push(`  rejected          ${m.rejected}`);
  if (m.unsettled > 0) lines.push(`  not settled       ${m.unsettled} (in flight when the run stopped)`);
  lines.push(`  records built     ${endpointList(report.records.built)}`);
  if (report.mode === 'import') {
    lines.push(`  records delivered ${endpointList(report.records.delivered)}`);
    if (Object.keys(report.records.rejected).length > 0) lines.push(`  records rejected  ${endpointList(report.records.rejected)}`);
    if (Object.keys(report.records.resumed).length > 0) lines.push(`  records resumed   ${endpointList(report.records.resumed)} ($add/$append an earlier run had delivered: not sent again)`);
  }
  for (const [title, reasons] of [['skipped', report.skipped], ['rejected', report.rejected]] as const) {
    const entries = Object.entries(reasons).sort((a, b) => b[1].count - a[1].count);
    if (entries.length === 0) continue;
    lines.push(`  ${title} because:`);
    for (const [reason, info] of entries) {
      const where = info.examples.length > 0 ? `  (${info.examples.join(', ')}${info.count > info.examples.length ? ', …' : ''})` : '';
      lines.push(`    ${String(info.count).padStart(7)}  ${info.stage ? `[${info.stage}] ` : ''}${reason}${where}`);
    }
  }
  const warnings = Object.entries(report.warnings);
  if (warnings.length > 0) lines.push(`  warnings: ${warnings.map(([w, n]) => `${w} ×${n}`).join('; ')}`);
  if (report.s3 !== undefined) lines.push(...s3Lines(report.s3));
  for (const notice of report.notices) lines.push(`  notice: ${notice}`);
  for (const input of report.inputs) if (input.read === 'complete' && input.truncated !== null) lines.push(`  input ${input.file}: ${input.truncated}`);
  const h = report.http;
  if (report.mode === 'import') {
    lines.push(`  http              ${h.requests} requests, ${h.retries} retries, ${h.status429} × 429, ${mb(h.bytesRaw)} raw, ${mb(h.bytesWire)} on the wire`);
    if (h.retryAfterCapped > 0) lines.push(`  note: ${h.retryAfterCapped} Retry-After waits were longer than the backoff ceiling (60 s) and were cut to it`);
    if (h.nonIdempotentInFlight > 0) lines.push(`  warning: ${h.nonIdempotentInFlight} $add/$append profile updates got no answer before the stop (maybe applied); a resume sends them again, which may count them twice`);
    if (h.nonIdempotentRetried > 0) lines.push(`  warning: ${h.nonIdempotentRetried} $add/$append profile updates were sent again after a reset, timeout or 5xx that Mixpanel may have applied: they may count twice`);
  }
  lines.push(`  time              ${(report.wallMs / 1000).toFixed(1)} s, ${report.recordsPerSecond} records/s`);
  if (report.error !== null) lines.push(`  error: ${report.error}`);
  return `${lines.join('\n')}\n`;
}

function statusText(report: Report): string {
  switch (report.status) {
    case 'ok':
      return 'done';
    case 'rejected':
      return 'done, with rejected lines (exit 1)';
    case 'fatal':
      return 'stopped early (exit 3)';
    case 'interrupted':
      return 'interrupted (exit 130)';
  }
}

function typeList(byType: Record<string, number>): string {
  const parts = Object.entries(byType).map(([type, n]) => `${type} ${n}`);
  return parts.length > 0 ? `  (${parts.join(', ')})` : '';
}

function endpointList(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([endpoint, n]) => `${endpoint} ${n}`);
  return parts.length > 0 ? parts.join(', ') : '0';
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Per prefix: the received days read (when narrowed) and the objects; then the objects and bytes fetched. */
function s3Lines(s3: NonNullable<Report['s3']>): string[] {
  const lines = s3.prefixes.map((p) => {
    const days = p.days === null ? 'all days' : p.days.length <= 4 ? `days ${p.days.join(', ')}` : `${p.days.length} days, ${p.days[0]} to ${p.days.at(-1)}`;
    return `  s3 input          ${p.input}: ${days}; ${p.objects} objects${p.ignored > 0 ? ` (${p.ignored} other objects ignored)` : ''}`;
  });
  lines.push(`  s3 read           ${s3.objectsRead} objects, ${mb(s3.bytesRead)}${s3.resumes > 0 ? `, ${s3.resumes} reads resumed` : ''}`);
  return lines;
}
