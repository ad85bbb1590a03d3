import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  /** `name` inside the directory. */
  file(name: string): string;
  /** A path inside the directory not handed out before (`<n>-name`); the file is not created. */
  unique(name: string): string;
  cleanup(): void;
}

/** A temporary directory for one test file, removed by `cleanup()`. */
export function tempDir(prefix = 'mpx-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  let counter = 0;
  return {
    path,
    file: (name) => join(path, name),
    unique: (name) => {
      counter += 1;
      return join(path, `${counter}-${name}`);
    },
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}
