// The package as an operator installs it: `npm pack` of the checkout, the tarball installed into an
// empty folder, and `npx jointgraph serve --config FILE` run there serves the sample city and answers
// a query. It holds `files` to what dist/ reads at run time (config, console build, SDL, migrations)
// and `dependencies` to what it imports: nothing of the checkout is reachable from that folder.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchOutput } from './support/process-output.ts';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const STEP_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'jointgraph-package-'));
const app = join(dir, 'app');
let server: ChildProcess | undefined;
let url: string;

/** npm as a shell runs it: the npm_* variables of an enclosing `npm test` would steer the inner npm. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') && !name.startsWith('JG_')));
const npm = (cwd: string, ...args: string[]) => run('npm', args, { cwd, env, timeout: STEP_MS, maxBuffer: 16 * 1024 * 1024 });

/** From npm's cache (warm from npm ci); from the registry where the cache lacks a package's metadata. */
async function installTarball(tarball: string): Promise<void> {
  // --ignore-scripts: better-sqlite3's install script compiles SQLite, minutes on two cores. The
  // checkout's build of the same version, on the same Node, stands in for it; another version builds.
  const install = (mode: string) => npm(app, 'install', mode, '--ignore-scripts', '--no-audit', '--no-fund', tarball);
  await install('--offline').catch(() => install('--prefer-offline'));
  const installed = join(app, 'node_modules', 'better-sqlite3');
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  const version = (path: string) => (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { version: string }).version;
  if (version(installed) === version(ours) && existsSync(join(ours, 'build', 'Release', 'better_sqlite3.node'))) {
    mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
    cpSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(installed, 'build', 'Release', 'better_sqlite3.node'));
  } else {
    await npm(app, 'rebuild', 'better-sqlite3');
  }
}

beforeAll(async () => {
  mkdirSync(app);
  // Without prepack's build: vitest's global setup built dist/ already, and, as it does, lets a type
  // error elsewhere in the checkout stop no test (prepack's build fails on one).
  const { stdout } = await npm(ROOT, 'pack', '--ignore-scripts', '--json', '--pack-destination', dir);
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  await installTarball(join(dir, packed!.filename));
  writeFileSync(join(app, 'jointgraph.yaml'), [
    'server: { host: 127.0.0.1, port: 0, dataDir: ./data }',
    'telemetry: { logLevel: silent }',
    'providers: { sample: true, host: 127.0.0.1, basePort: 0 }',
    'city: { seed: 7, persons: 100 }',
    'authorization: { mode: off }',
  ].join('\n'));
  // Its own process group: npx, the shell it runs the bin in, the gateway and the providers it forks.
  server = spawn('npx', ['--no', 'jointgraph', 'serve', '--config', 'jointgraph.yaml'], { cwd: app, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const [, graphql] = await watchOutput(server).printed(/GraphQL\s+(http:\S+)/, 'the installed package did not serve');
  url = graphql!;
}, 4 * STEP_MS);

afterAll(async () => {
  if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
    const closed = once(server, 'close');
    process.kill(-server.pid, 'SIGTERM');
    await closed;
  }
  rmSync(dir, { recursive: true, force: true });
}, STEP_MS);

describe('the packed package', () => {
  it('installed into an empty folder, serves a configuration with npx jointgraph serve and answers a query with data', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ enterprises(first: 1) { name } }' }) });
    const body = (await response.json()) as { data?: { enterprises: { name: string }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.enterprises).toHaveLength(1);
    expect(body.data!.enterprises[0]!.name).toEqual(expect.any(String));
  });

  it('holds the built program, its assets and configuration examples, and no tests, benchmarks or sources', async () => {
    const installed = join(app, 'node_modules', 'jointgraph');
    for (const path of ['cli/jointgraph.mjs', 'dist/cli/jointgraph.js', 'dist/supergraph/admin/admin-schema.graphql', 'config/sample-city.yaml', 'config/jointgraph.schema.json', 'console/dist/index.html', 'supergraph/labels.json']) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
    for (const path of ['test', 'bench', 'scripts', 'supergraph/config', 'dist/.tsbuildinfo', 'tsconfig.build.json']) expect(existsSync(join(installed, path)), path).toBe(false);
  });
});
