import type { Writable } from 'node:stream';

const FLUSH_AT = 256 * 1024;

/**
 * Buffers text and writes it in large pieces, waiting for 'drain' so a slow consumer
 * (a pipe, a disk) holds the pipeline back instead of filling memory.
 */
export class TextWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  /** Queue text; resolves at once unless the buffer was flushed into a full stream. */
  write(text: string): Promise<void> | void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) return this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Flush, then end the stream when it is ours (a file), and wait until it is written. */
  async close(end: boolean): Promise<void> {
    await this.flush();
    if (!end) return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
