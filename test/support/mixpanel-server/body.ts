// Reading a request body: wire size, optional gunzip, uncompressed size limit.
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

export type BodyResult =
  | { ok: true; data: Buffer; wireBytes: number; gzip: boolean }
  | { ok: false; problem: 'too-large' | 'bad-encoding'; message: string; wireBytes: number; gzip: boolean };

/** Reads the whole body. Past maxBytes on the wire the rest is drained, not stored. */
function readWire(req: IncomingMessage, maxBytes: number): Promise<{ chunks: Buffer[]; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve({ chunks, size });
    });
    req.on('error', reject);
    // A client that goes away mid-body must not leave the request pending forever.
    req.on('close', () => {
      if (!ended) reject(new Error('request closed before the body was complete'));
    });
  });
}

function gunzipLimited(data: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(data, { maxOutputLength: Math.max(1, maxBytes) }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  const { chunks, size } = await readWire(req, maxBytes);
  const tooLarge = { ok: false as const, problem: 'too-large' as const, message: 'too large', wireBytes: size, gzip };
  if (size > maxBytes) return tooLarge;
  const wire = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  if (!gzip) {
    if (encoding !== 'identity' && encoding !== '') {
      return { ok: false, problem: 'bad-encoding', message: `unsupported content encoding: ${encoding}`, wireBytes: size, gzip };
    }
    return { ok: true, data: wire, wireBytes: size, gzip };
  }
  try {
    return { ok: true, data: await gunzipLimited(wire, maxBytes), wireBytes: size, gzip };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
    const message = `unable to decompress gzip body: ${(err as Error).message}`;
    return { ok: false, problem: 'bad-encoding', message, wireBytes: size, gzip };
  }
}
