/** The import graph of src/, read from the source text (static, dynamic and worker-file imports). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

export interface Import {
  /** The imported module: a path relative to src/ (`delivery/sink.ts`) or a package name (`node:fs`, `undici`). */
  readonly target: string;
  readonly typeOnly: boolean;
}

export interface SourceFile {
  /** Relative to src/, with `/`. */
  readonly path: string;
  readonly text: string;
  readonly imports: readonly Import[];
}

const IMPORT = /(?:^|\n)\s*(import|export)(\s+type)?\s[^;]*?\sfrom\s+'([^']+)'/g;
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)|new URL\(\s*'(\.[^']+)'\s*,\s*import\.meta\.url\s*\)/g;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveTarget(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

/** Parse a file's imports; `path` is relative to src/. */
export function parseImports(path: string, text: string): Import[] {
  const imports: Import[] = [];
  for (const match of text.matchAll(IMPORT)) imports.push({ target: resolveTarget(path, match[3]!), typeOnly: match[2] !== undefined });
  for (const match of text.matchAll(DYNAMIC)) imports.push({ target: resolveTarget(path, (match[1] ?? match[2])!), typeOnly: false });
  return imports;
}

export function readSources(srcDir: string): SourceFile[] {
  return walk(srcDir).map((file) => {
    const path = relative(srcDir, file).split(/[\\/]/).join('/');
    const text = readFileSync(file, 'utf8');
    return { path, text, imports: parseImports(path, text) };
  });
}

/** The top-level folder of a src/ path (`mapping` for `mapping/classic/event.ts`), or the file for a top-level file. */
export function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : path;
}

/** Every cycle of the graph given as file → files it imports, each once, as a list of files. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

export const SRC_DIR = join(dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'src');
