// npm run gateway: `jointgraph serve` with config/gateway.yaml, serving the composed supergraph file
// (the setting, or --supergraph FILE) in front of the subgraphs it names. Flags: --port N, --host H,
// --config FILE.

import { fileURLToPath } from 'node:url';
import { cliArgs } from './args.ts';
import { runServe } from './serve-command.ts';

const args = cliArgs({ config: { type: 'string' }, supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
runServe({
  config: args.config ?? fileURLToPath(new URL('../config/gateway.yaml', import.meta.url)),
  supergraph: args.supergraph ?? true,
  env: { ...(args.port ? { JG_PORT: args.port } : {}), ...(args.host ? { JG_HOST: args.host } : {}) },
});
