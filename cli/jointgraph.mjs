#!/usr/bin/env node
// The `jointgraph` command from any directory (a provider's own, say): runs the compiled CLI with
// plain node. In a checkout it first builds dist/ if a source changed since the last build; an image
// holds the build alone.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../tsconfig.build.json', import.meta.url))) {
  const { buildIfStale } = await import('../scripts/build.mjs');
  buildIfStale();
}
await import('../dist/cli/jointgraph.js');
