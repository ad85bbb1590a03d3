/**
 * The dependency rules of src/ (docs/architecture.md, "Dependency rules"): each rule is checked on
 * the real import graph, and each checker is shown to catch a forbidden import in a made-up file.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, folderOf, parseImports, readSources, SRC_DIR, type SourceFile } from './imports.js';

const PURE_FOLDERS = new Set(['segment', 'mapping']);
/** Modules the pure core may take values from: Mixpanel's facts, no I/O. */
const PURE_VALUE_MODULES = new Set(['mixpanel/types.ts', 'mixpanel/limits.ts']);
const IO_MODULES = ['node:fs', 'node:fs/promises', 'node:worker_threads', 'node:child_process', 'node:net', 'node:http', 'node:https', 'undici'];

type Rule = (file: SourceFile) => string[];

const isOurs = (target: string): boolean => target.endsWith('.ts');

const RULES: Record<string, Rule> = {
  'lib imports nothing of ours but lib': (file) =>
    folderOf(file.path) !== 'lib' ? [] : file.imports.filter((i) => isOurs(i.target) && folderOf(i.target) !== 'lib').map((i) => i.target),
  'segment and mapping import only lib, segment, mapping, config types and Mixpanel types/limits': (file) => {
    if (!PURE_FOLDERS.has(folderOf(file.path))) return [];
    return file.imports
      .filter((i) => isOurs(i.target))
      .filter((i) => {
        const folder = folderOf(i.target);
        if (folder === 'lib' || PURE_FOLDERS.has(folder) || PURE_VALUE_MODULES.has(i.target)) return false;
        return !(folder === 'config' && i.typeOnly);
      })
      .map((i) => i.target);
  },
  'segment and mapping use no file system, threads, network or process': (file) => {
    if (!PURE_FOLDERS.has(folderOf(file.path))) return [];
    const found = file.imports.filter((i) => IO_MODULES.includes(i.target)).map((i) => i.target);
    return /\bprocess\.\w|\bDate\.now\(|\bMath\.random\(/.test(file.text) ? [...found, 'process / clock / randomness'] : found;
  },
  'mapper never imports delivery, run or cli': (file) =>
    folderOf(file.path) !== 'mapper' ? [] : file.imports.filter((i) => ['delivery', 'run', 'cli'].includes(folderOf(i.target))).map((i) => i.target),
  'delivery imports mapper types only': (file) =>
    folderOf(file.path) !== 'delivery' ? [] : file.imports.filter((i) => folderOf(i.target) === 'mapper' && !i.typeOnly).map((i) => i.target),
  'only cli touches process': (file) => (folderOf(file.path) === 'cli' || !/\bprocess\.\w|from 'node:process'/.test(file.text) ? [] : ['process']),
  'nothing but cli imports cli': (file) => (folderOf(file.path) === 'cli' ? [] : file.imports.filter((i) => folderOf(i.target) === 'cli').map((i) => i.target)),
};

const sources = readSources(SRC_DIR);

describe('architecture: the dependency rules hold on src/', () => {
  it('reads the whole tree', () => {
    expect(sources.length).toBeGreaterThan(60);
    expect(sources.map((s) => s.path)).toContain('mapper/worker.ts');
  });

  it.each(Object.keys(RULES))('%s', (name) => {
    const violations = sources.flatMap((file) => RULES[name]!(file).map((target) => `${file.path} → ${target}`));
    expect(violations).toEqual([]);
  });

  it('no import cycles (type imports included)', () => {
    const graph = new Map(sources.map((s) => [s.path, s.imports.map((i) => i.target).filter(isOurs)]));
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

/** A made-up file at `path` with `text`, as the rules see it. */
const fake = (path: string, text: string): SourceFile => ({ path, text, imports: parseImports(path, text) });

describe('architecture: each rule catches a forbidden import', () => {
  it.each([
    ['lib imports nothing of ours but lib', fake('lib/x.ts', "import { a } from '../run/report.js';"), ['run/report.ts']],
    ['segment and mapping import only lib, segment, mapping, config types and Mixpanel types/limits', fake('mapping/classic/x.ts', "import { parseSettings } from '../../config/settings.js';"), ['config/settings.ts']],
    ['segment and mapping import only lib, segment, mapping, config types and Mixpanel types/limits', fake('segment/x.ts', "import { classifyReply } from '../mixpanel/classify.js';"), ['mixpanel/classify.ts']],
    ['segment and mapping use no file system, threads, network or process', fake('mapping/x.ts', "import { readFileSync } from 'node:fs';"), ['node:fs']],
    ['segment and mapping use no file system, threads, network or process', fake('segment/x.ts', 'export const now = () => Date.now();'), ['process / clock / randomness']],
    ['mapper never imports delivery, run or cli', fake('mapper/x.ts', "import type { Report } from '../run/report.js';"), ['run/report.ts']],
    ['delivery imports mapper types only', fake('delivery/x.ts', "import { mapBlock } from '../mapper/map-block.js';"), ['mapper/map-block.ts']],
    ['only cli touches process', fake('run/x.ts', 'export const argv = process.argv;'), ['process']],
    ['nothing but cli imports cli', fake('run/x.ts', "import { main } from '../cli/main.js';"), ['cli/main.ts']],
  ] as const)('%s: caught', (name, file, expected) => {
    expect(RULES[name]!(file)).toEqual(expected);
  });

  it('a type import of mapper from delivery, and a config type in mapping, are allowed', () => {
    expect(RULES['delivery imports mapper types only']!(fake('delivery/x.ts', "import type { SentBlock } from '../mapper/packed-block.js';"))).toEqual([]);
    expect(RULES['segment and mapping import only lib, segment, mapping, config types and Mixpanel types/limits']!(fake('mapping/x.ts', "import type { Settings } from '../config/settings-types.js';"))).toEqual([]);
  });

  it('dynamic imports and worker files count as imports', () => {
    expect(parseImports('mapper/pool.ts', "const code = import('./map-block.js'); const w = new URL('./worker.js', import.meta.url);").map((i) => i.target)).toEqual(['mapper/map-block.ts', 'mapper/worker.ts']);
  });

  it('a cycle is found, with its files in order', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});
