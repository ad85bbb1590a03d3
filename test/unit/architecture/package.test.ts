/** The npm package (README "Install"): installable, licensed, one version, only what runs. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL } from '../../../src/version.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Record<string, any>;

describe('package.json', () => {
  it('is publishable: not private, MIT, with a LICENSE file naming the holder', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(new URL('../../../LICENSE', import.meta.url), 'utf8')).toContain('Copyright (c) 2026 mpx-replay contributors');
  });

  it('ships the built code without source maps (their sources are not shipped) and the LICENSE', () => {
    expect(pkg.files).toEqual(['bin', 'dist/src', '!dist/**/*.map', 'LICENSE']);
  });

  it('the version lives in package.json only: the code reads it from there', () => {
    expect(TOOL).toEqual({ name: 'mpx-replay', version: pkg.version });
  });

  it("the benchmark's mixpanel-import is not a dependency of the tool: bench/package.json has it, npm run bench installs it", () => {
    expect({ ...pkg.dependencies, ...pkg.devDependencies }['mixpanel-import']).toBeUndefined();
    const bench = JSON.parse(readFileSync(new URL('../../../bench/package.json', import.meta.url), 'utf8')) as Record<string, any>;
    expect(bench.dependencies['mixpanel-import']).toBe('3.1.43');
    expect(pkg.scripts.bench).toContain('npm install --prefix bench');
    expect(existsSync(new URL('../../../bench/run.js', import.meta.url))).toBe(true);
  });
});
