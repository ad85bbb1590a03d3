import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { INPUT_FILE } from './input-file.js';
import type { S3Inputs } from './s3-source.js';
import { isS3Url } from './s3-url.js';

/**
 * Expand the command-line inputs into the ordered list of files to read: files as given,
 * directories walked recursively in sorted (code-point) order, `-` for stdin, and the objects
 * under an `s3://bucket/prefix` in key order (named by their `s3://bucket/key` URLs).
 */
export async function expandInputs(inputs: readonly string[], s3: S3Inputs | null = null): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    if (isS3Url(input)) {
      if (s3 === null) throw new InputError(`input ${input}: S3 inputs are not available here`);
      files.push(...(await s3.expand(input)));
      continue;
    }
    const info = await stat(input).catch(() => null);
    if (info === null) throw new InputError(`input ${input}: no such file or directory`);
    if (info.isDirectory()) files.push(...(await walk(input)));
    else files.push(input);
  }
  return files;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile() && INPUT_FILE.test(entry.name)) found.push(path);
  }
  return found;
}
