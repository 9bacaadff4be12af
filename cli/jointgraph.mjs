#!/usr/bin/env node
// The `jointgraph` command from any directory (a provider's own, say): loads the TypeScript CLI
// through this checkout's tsx, so nothing needs installing where it runs.
import { register } from 'tsx/esm/api';

register();
await import('./jointgraph.ts');
