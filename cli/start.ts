// npm start: the zero-configuration demo, which is one configuration (config/sample-city.yaml):
// five supervised sample providers and the gateway in front of them, each in a process of its
// own, restarted if it dies. JG_* variables override the file. Ctrl-C stops all.

import { START } from './commands.ts';
import { parseCommand } from './usage.ts';

parseCommand(START);
// Loaded once the arguments are read: the gateway's modules take longer to load than the help takes to print.
const { fromPackageRoot } = await import('../supergraph/config/index.ts');
const { runServe } = await import('./serve-command.ts');

runServe({ config: fromPackageRoot('config/sample-city.yaml') });
