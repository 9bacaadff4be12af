#!/usr/bin/env -S npx tsx
// The jointgraph command: `jointgraph serve --config FILE [--supergraph FILE] [--port N] [--host H]`
// serves the gateway in front of the subgraphs the configuration lists (see the README's Configuration).

import { parseArgs } from 'node:util';
import { runServe } from './serve-command.ts';

const USAGE = 'usage: jointgraph serve --config FILE [--supergraph FILE] [--port N] [--host H]';

const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  options: { config: { type: 'string' }, supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
  allowPositionals: true,
  strict: true,
});

if (values.help || positionals[0] !== 'serve' || positionals.length > 1 || !values.config) {
  console.error(`[CONFIG_INVALID] ${USAGE}`);
  process.exit(values.help ? 0 : 1);
}
runServe({
  config: values.config,
  ...(values.supergraph ? { supergraph: values.supergraph } : {}),
  env: { ...(values.port ? { JG_PORT: values.port } : {}), ...(values.host ? { JG_HOST: values.host } : {}) },
});
