import { Buffer } from 'node:buffer';

/** The compressed bytes, read on demand; bytes read past a member's deflate data are put back. */
export class ByteSource {
  private readonly pending: Buffer[] = [];
  /** Compressed bytes handed out so far (and not put back). */
  position = 0;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly borrowed: boolean,
  ) {}

  async next(): Promise<Buffer | null> {
    const held = this.pending.pop() ?? (await this.read());
    this.position += held?.length ?? 0;
    return held;
  }

  /** `bytes` come next again (copied: a borrowed chunk is overwritten by the next read). */
  putBack(bytes: Buffer): void {
    this.position -= bytes.length;
    if (bytes.length > 0) this.pending.push(this.borrowed ? Buffer.from(bytes) : bytes);
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  /** The next `count` bytes, fewer at the end of the input. */
  async take(count: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < count) {
      const chunk = await this.next();
      if (chunk === null) break;
      const used = chunk.subarray(0, count - have);
      parts.push(Buffer.from(used));
      have += used.length;
      this.putBack(chunk.subarray(used.length));
    }
    return Buffer.concat(parts, have);
  }

  /** False when the input ends first. */
  async skip(count: number): Promise<boolean> {
    for (let left = count; left > 0; ) {
      const chunk = await this.next();
      if (chunk === null) return false;
      const used = Math.min(left, chunk.length);
      this.putBack(chunk.subarray(used));
      left -= used;
    }
    return true;
  }

  /** Past the next zero byte (a header's name or comment); false when the input ends first. */
  async skipPastZero(): Promise<boolean> {
    for (let chunk = await this.next(); chunk !== null; chunk = await this.next()) {
      const zero = chunk.indexOf(0);
      if (zero !== -1) {
        this.putBack(chunk.subarray(zero + 1));
        return true;
      }
    }
    return false;
  }

  private async read(): Promise<Buffer | null> {
    const next = await this.chunks.next();
    return next.done === true ? null : next.value;
  }
}
