import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // Node's own resolution loads graphql's CommonJS build for the federation libraries; point
  // our sources at the same file, or two graphql instances meet in one schema.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One worker runs every file in turn and keeps the modules it loaded: each file re-importing the
    // gateway, its engines and vitest itself cost about 100 s of a run (import 24 s of 49 s for 20 small
    // files, 2.7 s without). Tests share no module state by design; each builds its own gateways and stores.
    isolate: false,
  },
});
