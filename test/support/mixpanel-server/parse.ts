// Parsing request bodies into record lists.
import { isUtf8 } from 'node:buffer';

export type ParsedBatch =
  | {
      ok: true;
      items: unknown[];
      /** NDJSON lines that did not parse: index → message. */
      lineErrors: Map<number, string> | undefined;
      /** False when the body held invalid UTF-8 (decoded with U+FFFD replacements). */
      validUtf8: boolean;
    }
  | { ok: false; reason: string };

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `unable to parse request body as JSON: ${(err as Error).message}` };
  }
}

function parseNdjson(text: string, validUtf8: boolean): ParsedBatch {
  const items: unknown[] = [];
  let lineErrors: Map<number, string> | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseJson(line);
    if ('error' in parsed) {
      lineErrors ??= new Map();
      lineErrors.set(items.length, parsed.error);
      items.push(undefined);
    } else {
      items.push(parsed.value);
    }
  }
  if (items.length === 0) return { ok: false, reason: 'request contains no records' };
  return { ok: true, items, lineErrors, validUtf8 };
}

/**
 * /import body: a JSON array, or NDJSON when the content type says so.
 * Unparseable, not an array, or empty → failure (the caller answers 400).
 */
export function parseImportBody(data: Buffer, contentType: string): ParsedBatch {
  const validUtf8 = isUtf8(data);
  const text = data.toString('utf8');
  if (/ndjson|jsonl|json-seq/i.test(contentType)) return parseNdjson(text, validUtf8);
  const parsed = parseJson(text);
  if ('error' in parsed) return { ok: false, reason: parsed.error };
  if (!Array.isArray(parsed.value)) return { ok: false, reason: 'request body must be a JSON array' };
  if (parsed.value.length === 0) return { ok: false, reason: 'request contains no records' };
  return { ok: true, items: parsed.value, lineErrors: undefined, validUtf8 };
}

/** /engage and /groups body: a JSON array of updates, or a single update object. */
export function parseProfileBody(data: Buffer): ParsedBatch {
  const validUtf8 = isUtf8(data);
  const parsed = parseJson(data.toString('utf8'));
  if ('error' in parsed) return { ok: false, reason: parsed.error };
  const value = parsed.value;
  if (Array.isArray(value)) {
    if (value.length === 0) return { ok: false, reason: 'request contains no records' };
    return { ok: true, items: value, lineErrors: undefined, validUtf8 };
  }
  if (value !== null && typeof value === 'object') return { ok: true, items: [value], lineErrors: undefined, validUtf8 };
  return { ok: false, reason: 'request body must be a JSON array or object' };
}
