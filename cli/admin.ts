// jointgraph admin <command> (npm run admin -- <command>): the admin endpoint from the command line,
// for operators, providers (--token) and requesting apps (--api-key). Prints the endpoint's JSON
// answer. The commands and their flags are in cli/admin-commands.ts; `--help` lists them.

import { ADMIN_COMMANDS } from './admin-commands.ts';
import { ADMIN } from './commands.ts';
import { chooseSubcommand, parseCommand } from './usage.ts';

const chosen = chooseSubcommand(ADMIN);
const { values, positionals } = parseCommand(chosen.command, chosen.argv);
const command = ADMIN_COMMANDS[chosen.name]!;

async function main(): Promise<number> {
  // Loaded once the arguments are read: the help answers without the configuration's modules.
  const { cliSettings } = await import('./settings.ts');
  // publish takes --url for the subgraph's URL; --endpoint names the admin endpoint for any command.
  const url = values.endpoint ?? (chosen.name === 'publish' ? undefined : values.url) ?? `http://127.0.0.1:${cliSettings(values.config).port}/admin/graphql`;
  const [query, variables] = command.request(positionals[0] ?? '', values);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (values.token) headers.authorization = `Bearer ${values.token}`;
  if (values['api-key']) headers['x-api-key'] = values['api-key'];
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: unknown[] };
  console.log(JSON.stringify(body, null, 2));
  return body.errors ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error & { cause?: { code?: string } }) => {
    console.error(`cannot reach the admin endpoint: ${error.cause?.code ?? error.message} (is npm start running? --url sets the address)`);
    process.exit(1);
  },
);
