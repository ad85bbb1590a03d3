/**
 * Pull `source` ahead of the reader, up to `maxBytes` queued: the sender (S3, or a local S3-compatible
 * server sharing the cores) keeps streaming while the pipeline is busy, instead of waiting on TCP
 * backpressure for the reader to ask (docs/s3.md, "Throughput"). Errors reach the reader in order,
 * after the chunks before them.
 */
export async function* readAhead(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Buffer[] = [];
  let queued = 0;
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | null = null;
  let wakeReader: (() => void) | null = null;
  let wakePump: (() => void) | null = null;
  const wake = (which: 'reader' | 'pump'): void => {
    const resolve = which === 'reader' ? wakeReader : wakePump;
    if (which === 'reader') wakeReader = null;
    else wakePump = null;
    resolve?.();
  };
  const pump = (async () => {
    try {
      while (!stopped) {
        if (queued >= maxBytes) {
          await new Promise<void>((resolve) => (wakePump = resolve));
          continue;
        }
        const next = await iterator.next();
        if (next.done === true) break;
        queue.push(next.value);
        queued += next.value.length;
        wake('reader');
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wake('reader');
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queued -= chunk.length;
        wake('pump');
        yield chunk;
      } else if (finished) {
        if (failure !== null) throw (failure as { error: unknown }).error;
        return;
      } else {
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    }
  } finally {
    stopped = true;
    wake('pump');
    await pump;
    await iterator.return?.();
  }
}
