import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { INPUT_FILE } from './input-file.js';
import type { S3Inputs } from './s3/source.js';
import { isS3Url } from './s3/url.js';

/** What a failed look at a path means, in words (the code is kept for searching). */
const WHY: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ELOOP: 'a symbolic link loop (too many levels of links)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a path component is not a directory',
  ENAMETOOLONG: 'the name is too long',
};

function inputError(path: string, error: NodeJS.ErrnoException, what = ''): InputError {
  const code = error.code ?? 'error';
  return new InputError(`input ${path}${what}: ${WHY[code] ?? error.message} (${code})`);
}

/**
 * Expand the command-line inputs into the ordered list of files to read: files as given,
 * directories walked recursively in sorted (code-point) order, `-` for stdin, the objects under
 * an `s3://bucket/prefix` in key order (named by their `s3://bucket/key` URLs). Every file must be
 * readable now, so a permission problem is a usage error before anything is sent (README "Usage",
 * "Exit codes"). Symbolic links inside a folder are followed; each real file and folder is read
 * once, however many links lead to it, and a broken link is an error naming it.
 */
export async function expandInputs(inputs: readonly string[], s3: S3Inputs | null = null): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
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
    const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
      throw inputError(input, error);
    });
    if (info.isDirectory()) {
      await walk(input, files, seen);
    } else {
      await checkReadable(input, info.isFile());
      files.push(input);
    }
  }
  return files;
}

async function checkReadable(path: string, regularFile: boolean): Promise<void> {
  await access(path, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw inputError(path, error, regularFile ? ' cannot be read' : '');
  });
}

/** Walk `dir` into `found`; `seen` holds the real paths already taken (links can lead back). */
async function walk(dir: string, found: string[], seen: Set<string>): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw inputError(dir, error, ' (folder) cannot be listed');
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch((error: NodeJS.ErrnoException) => {
        throw inputError(path, error, ' (symbolic link)');
      });
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) {
      await walk(path, found, seen);
    } else if (isFile && INPUT_FILE.test(entry.name)) {
      const realFile = await realpath(path);
      if (seen.has(realFile)) continue;
      seen.add(realFile);
      await checkReadable(path, true);
      found.push(path);
    }
  }
}
