// The Dockerfile and deploy/compose.yaml, checked without Docker (these machines have no daemon):
// the image holds every file the gateway and the providers import, the configuration each replica
// gets validates, and the replicas differ where they must.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml'; // with merge keys (`<<`), as Compose reads them
import { loadConfiguration } from '../supergraph/config/index.ts';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const compose = parse(readFileSync(resolve(ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; entrypoint?: string[]; environment?: Record<string, string>; volumes?: string[]; healthcheck?: { test: string[] }; mem_limit?: string }>;
};

/** Each stage's `COPY` lines: what a stage copies from the build context (globs as regular expressions), and from other stages. */
const stages = dockerfile.split(/^FROM /m).slice(1).map((stage) => {
  const copies = [...stage.matchAll(/^COPY (.+) (\S+)$/gm)].map((m) => ({ from: m[1]!.match(/^--from=(\S+)/)?.[1], sources: m[1]!.replace(/^--from=\S+ /, '').split(' '), dest: m[2]! }));
  return {
    name: stage.match(/ AS (\S+)/)?.[1],
    context: copies.filter((c) => !c.from).flatMap((c) => c.sources).map((c) => new RegExp(`^${c.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}(/|$)`)),
    fromStages: copies.filter((c) => c.from).map((c) => ({ from: c.from!, dest: c.dest.replace(/^\.\//, '') })),
  };
});
/** Ignored unless a later `!pattern` lets it in again. */
const isIgnored = (path: string) =>
  ignored.reduce((out, pattern) => {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    return path === p || path.startsWith(`${p}/`) ? !negated : out;
  }, false);
const copiedBy = (stage: (typeof stages)[number], file: string) => {
  const path = relative(ROOT, file);
  return stage.context.some((c) => c.test(path)) && !isIgnored(path);
};
const build = stages.find((s) => s.name === 'build')!;
const final = stages.at(-1)!;
const inImage = (file: string) => copiedBy(final, file) || final.fromStages.some((c) => c.from === 'build' && relative(ROOT, file).startsWith(`${c.dest}/`));

/** Every project file reached from `entry` through relative imports (static and dynamic). */
function reached(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(entry), match[1]!);
    if (existsSync(target) && /\.(ts|mjs|js)$/.test(target)) reached(target, seen);
  }
  return seen;
}

describe('the image', () => {
  it('compiles every file the gateway and the providers import, and runs the build: nothing from test/ or bench/', () => {
    const entries = ['cli/jointgraph.ts', 'cli/providers.ts'].map((f) => resolve(ROOT, f));
    const files = new Set(entries.flatMap((e) => [...reached(e)]));
    expect(files.size).toBeGreaterThan(100);
    expect([...files].filter((f) => !copiedBy(build, f)).map((f) => relative(ROOT, f))).toEqual([]);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(final.fromStages).toContainEqual({ from: 'build', dest: 'dist' });
    // The command and the compiled entry points it and the providers' service run.
    expect(inImage(resolve(ROOT, 'cli/jointgraph.mjs'))).toBe(true);
    expect(readFileSync(resolve(ROOT, 'cli/jointgraph.mjs'), 'utf8')).toContain("import('../dist/cli/jointgraph.js')");
    expect(compose.services.providers!.entrypoint).toEqual(['node', 'dist/cli/providers.js']);
    // The console the gateway serves, and the files a replica's configuration names.
    expect(inImage(resolve(ROOT, 'console/dist/index.html'))).toBe(true);
    expect(inImage(resolve(ROOT, 'supergraph/apps.json')) && inImage(resolve(ROOT, 'supergraph/labels.json'))).toBe(true);
    expect(inImage(resolve(ROOT, 'supergraph/policy/decide.ts'))).toBe(false);
  });

  it('creates, owned by the user it runs as, every folder compose mounts a named volume on', () => {
    const owned = dockerfile.match(/^RUN mkdir -p ([^&]+)&& chown -R node:node (\S+)/m);
    expect(owned).not.toBeNull();
    const made = owned![1]!.trim().split(/\s+/);
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []).filter((v) => !v.startsWith('.')).map((v) => v.split(':')[1]!);
    for (const target of mounts.filter((m) => m.startsWith('/var/lib/jointgraph'))) {
      expect(made).toContain(target);
      expect(target.startsWith(`${owned![2]}/`)).toBe(true);
    }
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});

describe('deploy/compose.yaml', () => {
  const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway-'));
  const settingsOf = (environment: Record<string, string>) =>
    loadConfiguration(resolve(ROOT, 'deploy/replicas.yaml'), { ...environment, JG_APPS_FILE: resolve(ROOT, 'supergraph/apps.json'), JG_LABELS_FILE: resolve(ROOT, 'supergraph/labels.json') });

  it('bounds each replica\'s memory, with the image\'s heap bound and 256 MiB besides within it', () => {
    const heapMiB = Number(dockerfile.match(/--max-old-space-size=(\d+)/)?.[1]);
    expect(heapMiB).toBeGreaterThan(0);
    for (const [name, service] of gateways) {
      const limit = service.mem_limit?.match(/^(\d+)([mg])$/);
      expect(limit, name).toBeTruthy();
      const limitMiB = Number(limit![1]) * (limit![2] === 'g' ? 1024 : 1);
      expect(heapMiB + 256, name).toBeLessThanOrEqual(limitMiB);
    }
  });

  it('runs three replicas on PostgreSQL and Redis, each with a configuration that validates', () => {
    expect(gateways.map(([name]) => name)).toEqual(['gateway-1', 'gateway-2', 'gateway-3']);
    for (const [, service] of gateways) {
      const settings = settingsOf(service.environment!);
      expect(settings.postgres?.url).toBe('postgres://postgres@postgres:5432/jointgraph');
      expect(settings.redisUrl).toBe('redis://redis:6379/0');
      expect(settings.authzMode).toBe('enforce');
    }
  });

  it('gives each replica its own state folder and audit chain, one audit key for all, kept apart from every state folder', () => {
    const settings = gateways.map(([, s]) => settingsOf(s.environment!));
    expect(new Set(settings.map((s) => s.stateDir)).size).toBe(3);
    expect(new Set(settings.map((s) => s.replicaId)).size).toBe(3);
    expect(settings.every((s) => s.replicaId?.startsWith("gateway-"))).toBe(true);
    expect(new Set(settings.map((s) => s.auditKeyFile)).size).toBe(1);
    for (const s of settings) expect(s.auditKeyFile!.startsWith(`${s.stateDir}/`)).toBe(false);
  });

  it('starts the replicas once the departments listen on the ports the replicas call', () => {
    const providers = compose.services.providers!;
    const settings = settingsOf(gateways[0]![1].environment!);
    const ports = (settings.subgraphs ?? []).map((s) => Number(new URL(s.url).port));
    expect(ports).toHaveLength(5);
    expect(ports).toEqual(ports.map((_, i) => settings.subgraphBasePort + i));
    expect(Number(providers.healthcheck!.test.join(' ').match(/connect\((\d+)/)![1])).toBe(ports.at(-1));
  });
});
