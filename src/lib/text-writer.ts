import type { Writable } from 'node:stream';

const FLUSH_AT = 256 * 1024;

/**
 * Buffers text and writes it in large pieces, waiting for 'drain' so a slow consumer
 * (a pipe, a disk) holds the pipeline back instead of filling memory. When the consumer goes
 * away (`… | head` closes the pipe: EPIPE) or fails, writing stops and `onClosed` is told why.
 */
export class TextWriter {
  private parts: string[] = [];
  private size = 0;
  private closed = false;
  /** Told once the buffered text is written (the callbacks of `write`); dropped when writing fails. */
  private written: Array<() => void> = [];

  constructor(
    private readonly stream: Writable,
    private readonly onClosed: (error: NodeJS.ErrnoException) => void = () => undefined,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => this.markClosed(error));
  }

  /**
   * Queue text; resolves at once unless the buffer was flushed into a full stream. `written` is
   * called once the text has been handed to the file without an error, never if writing failed.
   */
  write(text: string, written?: () => void): Promise<void> | void {
    if (this.closed) return;
    this.parts.push(text);
    this.size += text.length;
    if (written !== undefined) this.written.push(written);
    if (this.size >= FLUSH_AT) return this.flush();
  }

  /**
   * Write bytes already encoded (large pieces: not buffered). Resolves once the stream is done
   * with them, so the caller may fill the same memory again.
   */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (this.closed || bytes.length === 0) return;
    await new Promise<void>((resolve) => this.stream.write(bytes, () => resolve()));
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.closed) return;
    const text = this.parts.join('');
    const written = this.written;
    this.parts = [];
    this.written = [];
    this.size = 0;
    const done = written.length === 0 ? undefined : (error?: Error | null): void => {
      if (error == null) for (const callback of written) callback();
    };
    if (this.stream.write(text, done)) return;
    await this.drained();
  }

  /** One wait for 'drain' shared by every flush that meets a full stream (one listener set, however many rejects are written at once). */
  private waiting: Promise<void> | null = null;

  private drained(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        this.waiting = null;
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
    return this.waiting;
  }

  /**
   * Flush, then end the stream when it is ours (a file), and wait until it is written. A write
   * error ends the wait too; it was told to `onClosed`.
   */
  async close(end: boolean): Promise<void> {
    await this.flush();
    if (!end || this.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('error', () => resolve());
      this.stream.end(() => resolve());
    });
  }

  private markClosed(error: NodeJS.ErrnoException): void {
    if (this.closed) return;
    this.closed = true;
    this.parts = [];
    this.written = [];
    this.onClosed(error);
  }
}
