// What the server saw: accepted records and the request log.
import type { AcceptedRecord, RequestLogEntry, ServerStats } from './types.js';

export class ServerStore {
  readonly accepted: AcceptedRecord[] = [];
  readonly requests: RequestLogEntry[] = [];
  private lastRequestId = 0;

  nextRequestId(): number {
    return ++this.lastRequestId;
  }

  stats(): ServerStats {
    const byStatus: Record<string, number> = {};
    const byEndpoint: Record<string, number> = {};
    for (const entry of this.requests) {
      const status = String(entry.status);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      byEndpoint[entry.endpoint] = (byEndpoint[entry.endpoint] ?? 0) + 1;
    }
    return { requests: this.requests.length, accepted: this.accepted.length, byStatus, byEndpoint };
  }

  /** Clears both lists in place (request ids keep counting, so fault sequences continue). */
  reset(): void {
    this.accepted.length = 0;
    this.requests.length = 0;
  }
}
