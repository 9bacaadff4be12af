import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import AuditFirst from './test/support/sequencer.ts';

const require = createRequire(import.meta.url);

/**
 * Files that hold many connections to the shared PostgreSQL (100 at most on these machines; replicas
 * started six at once each open their pools) run one after another, once the rest has run.
 */
const POSTGRES_HEAVY = ['test/postgres-*.test.ts', 'test/ownership-changes.test.ts', 'test/registry.test.ts'];

export default defineConfig({
  // Node's own resolution loads graphql's CommonJS build for the federation libraries; point
  // our sources at the same file, or two graphql instances meet in one schema.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // npm run fuzz measures the heap after a forced collection (command-line --execArgv does not reach projects).
    execArgv: process.env.JG_FUZZ_RUNS ? ['--expose-gc'] : [],
    // Each worker runs its files in turn and keeps the modules it loaded: each file re-importing
    // the gateway, its engines and vitest itself cost about 100 s of a run (20 small files: import 24 s
    // of 49 s isolated, 2.7 s not). Tests share no module state by design: each builds its own gateways.
    isolate: false,
    sequence: { sequencer: AuditFirst },
    // `npm test` (vitest run --coverage) measures the coverage of the code the test processes run,
    // not of the child processes some tests start (npm start, the compiled CLI, the audit's
    // gateways), and fails under these floors: about three points under what the whole suite reached
    // when they were set (statements 85.0 %, branches 77.5 %, functions 85.5 %, lines 87.4 %).
    coverage: {
      provider: 'v8',
      include: ['supergraph/**/*.ts', 'server/**/*.ts', 'protocol/**/*.ts', 'subgraphs/**/*.ts', 'directives/**/*.ts', 'cli/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'node_modules/.cache/coverage',
      thresholds: { statements: 82, branches: 74, functions: 82, lines: 84 },
    },
    projects: [
      // Two workers: most of a file's time is spent waiting on the processes and servers it starts. The
      // federation audit (the longest file) starts first and keeps one of them busy meanwhile.
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: POSTGRES_HEAVY, maxWorkers: 2 } },
      { extends: true, test: { name: 'postgres', include: POSTGRES_HEAVY, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
