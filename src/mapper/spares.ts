/**
 * Output memory handed back for reuse: without it, every block's output would be new memory that
 * the main thread frees only at its next garbage collection (tens of MB of RSS).
 */
export class Spares {
  private readonly free: Uint8Array[] = [];

  give(bytes: Uint8Array): void {
    if (this.free.length < 4) this.free.push(bytes);
  }

  take(): Uint8Array | undefined {
    return this.free.pop();
  }
}
