/**
 * What the progress display says (README "Usage"), as pure functions of a snapshot of the run
 * and the time: no clock, no I/O, so each can be checked with a table.
 */

export interface ProgressSnapshot {
  readonly label: 'import' | 'dry run';
  /** The alias pass reads every input once before the main pass (original identity mode). */
  readonly phase: 'aliases' | 'main';
  /** Messages (non-blank lines) read. */
  readonly lines: number;
  /** Records delivered (import) or written (dry run). */
  readonly records: number;
  readonly bytesRead: number;
  /** The inputs' total size; null when unknown (stdin). */
  readonly bytesTotal: number | null;
  readonly file: string | null;
  readonly retries: number;
  readonly status429: number;
  /** When the latest wait after a 429 ends (clock ms; 0: none). */
  readonly rateLimitedUntil: number;
}

/** Records and bytes per second over the last few seconds (not since the start), from samples. */
export class RateWindow {
  private readonly samples: Array<{ at: number; records: number; bytes: number }> = [];

  constructor(private readonly spanMs = 10_000) {}

  add(at: number, records: number, bytes: number): void {
    this.samples.push({ at, records, bytes });
    // Keep one sample at or before the window's start, so the rate covers the whole span.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.spanMs) this.samples.shift();
  }

  recordsPerSecond(): number | null {
    return this.rate((s) => s.records);
  }

  bytesPerSecond(): number | null {
    return this.rate((s) => s.bytes);
  }

  private rate(value: (sample: { records: number; bytes: number }) => number): number | null {
    if (this.samples.length < 2) return null;
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const ms = last.at - first.at;
    return ms <= 0 ? null : ((value(last) - value(first)) * 1000) / ms;
  }
}

/** The status line: one line, most useful first (a narrow terminal cuts the end). */
export function formatStatus(snapshot: ProgressSnapshot, nowMs: number, rates: RateWindow): string {
  const parts: string[] = [];
  const head = snapshot.phase === 'aliases' ? `${snapshot.label} (alias pass)` : snapshot.label;
  const share = shareRead(snapshot, rates);
  parts.push(share === null ? head : `${head} ${share}`);
  if (snapshot.phase === 'main') {
    parts.push(`${thousands(snapshot.lines)} lines`, `${thousands(snapshot.records)} records ${snapshot.label === 'dry run' ? 'written' : 'delivered'}`);
    const perSecond = rates.recordsPerSecond();
    if (perSecond !== null) parts.push(`${thousands(Math.round(perSecond))} records/s`);
  }
  const waitMs = snapshot.rateLimitedUntil - nowMs;
  if (waitMs > 0) parts.push(`waiting: Mixpanel is rate-limiting (retry in ${Math.ceil(waitMs / 1000)} s)`);
  if (snapshot.retries > 0 || snapshot.status429 > 0) parts.push(`${thousands(snapshot.retries)} retries, ${thousands(snapshot.status429)} × 429`);
  if (snapshot.file !== null) parts.push(baseName(snapshot.file));
  return parts.join(' · ');
}

/** A plain progress line for a log (not a terminal): UTC time first. */
export function formatPlainLine(snapshot: ProgressSnapshot, nowMs: number, rates: RateWindow): string {
  return `${new Date(nowMs).toISOString().slice(0, 19)}Z ${formatStatus(snapshot, nowMs, rates)}`;
}

/** "42% of 29.1 MB, ETA 1 min 05 s" when the size is known; the bytes read otherwise. */
function shareRead(snapshot: ProgressSnapshot, rates: RateWindow): string | null {
  const { bytesRead, bytesTotal } = snapshot;
  if (bytesTotal === null || bytesTotal <= 0) return bytesRead > 0 ? `${formatBytes(bytesRead)} read` : null;
  const percent = Math.min(100, Math.floor((bytesRead / bytesTotal) * 100));
  const perSecond = rates.bytesPerSecond();
  const left = bytesTotal - bytesRead;
  const eta = perSecond !== null && perSecond > 0 && left > 0 ? `, ETA ${formatDuration((left / perSecond) * 1000)}` : '';
  return `${percent}% of ${formatBytes(bytesTotal)}${eta}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** 1234567 → "1,234,567" (the same in every locale). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function baseName(path: string): string {
  return path === '-' ? 'stdin' : (path.split(/[\\/]/).pop() ?? path);
}
