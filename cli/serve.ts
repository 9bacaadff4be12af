// jointgraph serve (npm run serve --): the gateway one configuration describes, in front of the
// providers it lists. Its flags are in cli/commands.ts.

import { SERVE } from './commands.ts';
import { parseCommand } from './usage.ts';

const { values } = parseCommand(SERVE);
// Loaded once the flags are read: the gateway's modules take longer to load than the help takes to print.
const { runServe } = await import('./serve-command.ts');
runServe({
  config: values.config,
  ...(values.supergraph ? { supergraph: values.supergraph } : {}),
  env: { ...(values.port ? { JG_PORT: values.port } : {}), ...(values.host ? { JG_HOST: values.host } : {}) },
});
