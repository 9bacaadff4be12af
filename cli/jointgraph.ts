// The jointgraph command:
//   jointgraph serve --config FILE [--supergraph FILE] [--port N] [--host H]   the gateway (see the README's Configuration)
//   jointgraph admin <command> [--config FILE] …                               the admin endpoint (npm run admin -- --help)
//   jointgraph compose [--config FILE] …                                       compose the subgraph list (npm run compose)
//   jointgraph provider-check URL --name SUBGRAPH --key FILE [--json]           probe a provider's caller checks (docs/provider-protocol.md)
// Run it as `npm run serve -- …` here, or `node <checkout>/cli/jointgraph.mjs …` (`npm link` puts it on the PATH) anywhere.

import { parseArgs } from 'node:util';

const USAGE = 'usage: jointgraph serve --config FILE [--supergraph FILE] [--port N] [--host H] | jointgraph admin <command> … | jointgraph compose … | jointgraph provider-check URL --name SUBGRAPH --key FILE [--json]';

const [subcommand] = process.argv.slice(2);
if (subcommand === 'admin' || subcommand === 'compose') {
  // The sub-command's own CLI reads the rest of the arguments.
  process.argv.splice(2, 1);
  await import(subcommand === 'admin' ? './admin.ts' : './compose.ts');
} else if (subcommand === 'provider-check') {
  process.argv.splice(2, 1);
  await import('./provider-check.ts');
} else {
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
  // Loaded only to serve: the gateway's modules take longer to load than the usage takes to print.
  const { runServe } = await import('./serve-command.ts');
  runServe({
    config: values.config,
    ...(values.supergraph ? { supergraph: values.supergraph } : {}),
    env: { ...(values.port ? { JG_PORT: values.port } : {}), ...(values.host ? { JG_HOST: values.host } : {}) },
  });
}
