// package.json's `engines.node` is a promise: every package `npm ci` installed (dependencies and
// development dependencies, nested node_modules included) runs on the lowest Node it admits. A
// package that asks for more is an `npm warn EBADENGINE` at install and, on that Node, a crash
// waiting to happen; this names it and where it sits, so the fix (a version of the direct
// dependency, an override in package.json) or a raised `engines.node` is a decision, not a surprise.

import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

interface Manifest {
  name?: string;
  version?: string;
  engines?: { node?: unknown };
}

interface Installed {
  path: string;
  manifest: Manifest;
}

/** Every package directory under a node_modules folder (scoped ones included), then theirs. */
function installed(nodeModules: string, seen = new Set<string>()): Installed[] {
  if (!existsSync(nodeModules)) return [];
  const real = realpathSync(nodeModules);
  if (seen.has(real)) return [];
  seen.add(real);
  const found: Installed[] = [];
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue; // .bin, .package-lock.json, tool caches
    const dirs = name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((n) => join(nodeModules, name, n)) : [join(nodeModules, name)];
    for (const dir of dirs) {
      if (!statSync(dir).isDirectory()) continue;
      const manifestPath = join(dir, 'package.json');
      if (existsSync(manifestPath)) found.push({ path: relative(ROOT, dir), manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest });
      found.push(...installed(join(dir, 'node_modules'), seen));
    }
  }
  return found;
}

const ours = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest).engines?.node;

describe('installed packages run on the lowest Node our engines admit', () => {
  it('package.json states engines.node as a range with a lowest version', () => {
    expect(typeof ours).toBe('string');
    expect(semver.minVersion(ours as string)).not.toBeNull();
  });

  it('every installed package accepts it', () => {
    const lowest = semver.minVersion(ours as string)!.version;
    const packages = installed(join(ROOT, 'node_modules'));
    // Not vacuous: the walk saw the install, nested copies included.
    expect(packages.length).toBeGreaterThan(500);
    expect(packages.some((p) => p.path === join('node_modules', 'fastify'))).toBe(true);
    expect(packages.some((p) => p.path.split('node_modules').length > 2)).toBe(true);

    // As npm checks it (npm-install-checks): a range that does not parse fails too.
    const refusing = packages
      .filter(({ manifest }) => typeof manifest.engines?.node === 'string')
      .filter(({ manifest }) => !semver.satisfies(lowest, manifest.engines!.node as string, { includePrerelease: true }))
      .map(({ path, manifest }) => `${manifest.name}@${manifest.version} requires node ${JSON.stringify(manifest.engines!.node)} (${path})`);
    expect(refusing, `our engines.node is ${JSON.stringify(ours)}, so Node ${lowest} must do`).toEqual([]);
  });
});
