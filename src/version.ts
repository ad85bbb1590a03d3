import { readFileSync } from 'node:fs';

/**
 * The tool's name and version, read once from package.json: the one place the version lives
 * (--version, the User-Agent, the --json report). Found from src/ (tests) and dist/src/ (the
 * built CLI) alike.
 */
function readPackage(): { name: string; version: string } {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'mpx-replay' && typeof parsed.version === 'string') return { name: parsed.name, version: parsed.version };
    } catch {
      // not there: try the next folder up
    }
  }
  throw new Error('mpx-replay: package.json not found next to the code');
}

export const TOOL = readPackage();
