// npm run gateway: `jointgraph serve` with config/gateway.yaml, serving the composed supergraph file
// (the setting, or --supergraph FILE) in front of the subgraphs it names. Flags: --port N, --host H,
// --config FILE.

import { fromPackageRoot } from '../supergraph/config/index.ts';
import { cliArgs } from './args.ts';
import { runServe } from './serve-command.ts';

const args = cliArgs({ config: { type: 'string' }, supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
runServe({
  config: args.config ?? fromPackageRoot('config/gateway.yaml'),
  supergraph: args.supergraph ?? true,
  env: { ...(args.port ? { JG_PORT: args.port } : {}), ...(args.host ? { JG_HOST: args.host } : {}) },
});
