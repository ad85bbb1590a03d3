/** The buffered writer behind --rejects and dry-run output (README "Dry run and diff"). */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TextWriter } from '../../../src/lib/text-writer.js';

/** A slow file: every write takes a few milliseconds, and it buffers little (so writes meet a full stream). */
function slowStream(): Writable & { received: () => number } {
  let received = 0;
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      setTimeout(callback, 2);
    },
  });
  return Object.assign(stream, { received: () => received });
}

describe('TextWriter', () => {
  it('many rejects written at once (several full flushes waiting together) share one drain wait: no MaxListenersExceededWarning', async () => {
    const stream = slowStream();
    const writer = new TextWriter(stream);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const line = `${JSON.stringify({ reason: 'mixpanel rejected', message: 'r'.repeat(700) })}\n`;
    const pending: Array<Promise<void>> = [];
    let maxDrainListeners = 0;
    for (let i = 0; i < 6000; i += 1) {
      const done = writer.write(line);
      if (done) pending.push(done);
      maxDrainListeners = Math.max(maxDrainListeners, stream.listenerCount('drain'));
    }
    await Promise.all(pending);
    await writer.close(true);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(pending.length).toBeGreaterThan(10);
    expect(maxDrainListeners).toBe(1);
    expect(warnings).toEqual([]);
    expect(stream.received()).toBe(6000 * line.length);
  });
});
