// npm run gateway: `jointgraph serve` with config/gateway.yaml, serving the composed supergraph file
// (the setting, or --supergraph FILE) in front of the subgraphs it names. Its flags are in cli/commands.ts.

import { GATEWAY } from './commands.ts';
import { parseCommand } from './usage.ts';

const args = parseCommand(GATEWAY).values;
// Loaded once the flags are read: the gateway's modules take longer to load than the help takes to print.
const { fromPackageRoot } = await import('../supergraph/config/index.ts');
const { runServe } = await import('./serve-command.ts');
runServe({
  config: args.config ?? fromPackageRoot('config/gateway.yaml'),
  supergraph: args.supergraph ?? true,
  env: { ...(args.port ? { JG_PORT: args.port } : {}), ...(args.host ? { JG_HOST: args.host } : {}) },
});
