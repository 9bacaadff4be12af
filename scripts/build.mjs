// npm run build: compiles the source folders to dist/ (tsc -p tsconfig.build.json, incremental) and
// copies beside the JavaScript the files a module reads relative to itself (SDL, migrations). Every
// process JointGraph starts runs dist/ with plain node. `--if-stale` compiles only when a source is
// newer than the last build, judged from file times alone (milliseconds), as npm start and the
// jointgraph command do before they run.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const SOURCE_FOLDERS = ['directives', 'protocol', 'subgraphs', 'supergraph', 'server', 'cli'];
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/audit/authz-gateway.ts'];

/** Read at run time beside its module: SDL and migrations. supergraph/*.graphql, the operator's composed supergraph, is read from the checkout. */
const isAsset = (path) => path.endsWith('.sql') || (path.endsWith('.graphql') && dirname(path) !== 'supergraph');

function filesUnder(folder, root = ROOT) {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path, root) : [path];
  });
}

function inputs() {
  const sources = SOURCE_FOLDERS.flatMap((folder) => filesUnder(folder)).filter((path) => path.endsWith('.ts') || isAsset(path));
  return [...sources, ...BUILD_INPUTS.filter((path) => existsSync(join(ROOT, path)))];
}

/** dist/ was built after every source and build setting last changed. */
export function buildIsCurrent() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  // A file removed while the folders are read counts as a change.
  return inputs().every((path) => (statSync(join(ROOT, path), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= built);
}

/** Compiles and copies; false when tsc reported type errors (it wrote every file all the same). Throws when it wrote nothing. */
export function build() {
  const startedAt = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  // Exit code 2: errors reported, every file written (noEmitOnError is off). Code with a type error
  // still runs, as it did through tsx, so that one file being edited stops no one's tests or start.
  if (compiled.status !== 0 && compiled.status !== 2) throw new Error(`tsc -p tsconfig.build.json failed (exit code ${compiled.status ?? compiled.signal}); dist/ was not updated.`);
  const sources = new Set(inputs());
  const assets = [...sources].filter(isAsset);
  // A module or migration removed from the sources must not be run, applied or packed from an old copy.
  const sourceOf = (path) => (path.endsWith('.js') ? path.replace(/\.js$/, '.ts') : path);
  for (const path of SOURCE_FOLDERS.flatMap((folder) => filesUnder(folder, DIST))) {
    if (!sources.has(sourceOf(path))) rmSync(join(DIST, path));
  }
  for (const path of assets) {
    mkdirSync(dirname(join(DIST, path)), { recursive: true });
    copyFileSync(join(ROOT, path), join(DIST, path));
  }
  // Dated when the build began: a source saved while tsc ran is newer, so the next check builds again.
  writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
  utimesSync(STAMP, startedAt, startedAt);
  return compiled.status === 0;
}

/** Before a process runs: type errors are printed (npm test's type-check fails on them), not fatal. */
export function buildIfStale() {
  if (buildIsCurrent() || build()) return;
  console.error('dist/ was built despite the type errors above.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (process.argv.includes('--if-stale')) buildIfStale();
    else if (!build()) process.exit(1);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
