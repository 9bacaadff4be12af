// The jointgraph command: serve, compose, admin and provider-check, each described in cli/commands.ts
// (`jointgraph --help` lists them, `jointgraph <command> --help` gives a command's flags).
// Run it as `npm run serve -- …` here, or `node <checkout>/cli/jointgraph.mjs …` (`npm link` puts it on the PATH) anywhere.

import { JOINTGRAPH } from './commands.ts';
import { chooseSubcommand } from './usage.ts';

/** Each command's program, loaded once named: the gateway's modules take longer to load than the help takes to print. */
const PROGRAMS: Record<keyof typeof JOINTGRAPH.subcommands, () => Promise<unknown>> = {
  serve: () => import('./serve.ts'),
  compose: () => import('./compose.ts'),
  admin: () => import('./admin.ts'),
  'provider-check': () => import('./provider-check.ts'),
};

const { name, argv } = chooseSubcommand(JOINTGRAPH);
// The command's program reads the rest of the arguments.
process.argv.splice(2, Infinity, ...argv);
await PROGRAMS[name]();
