import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** File names a directory walk picks up: NDJSON-ish files, gzipped or not, and Segment's bare `.gz` archive files. */
const INPUT_FILE = /\.(ndjson|jsonl|json)(\.gz)?$|\.gz$/i;


/**
 * Expand the command-line inputs into the ordered list of files to read: files as given,
 * directories walked recursively in sorted (code-point) order, `-` for stdin.
 */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
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
