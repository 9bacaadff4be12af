// npm run providers -- [--config FILE] [--only NAME,NAME]: the sample departments (and the example
// housing department) on their own, each in a process of its own and restarted if it dies, for a
// gateway started separately (`jointgraph serve --config …`). They answer only calls signed with the
// gateway's key in <server.dataDir>/keys/gateway-signing.jwk, made here if the gateway has none yet.

import { join } from 'node:path';
import { PROVIDERS } from './commands.ts';
import { parseCommand } from './usage.ts';

const args = parseCommand(PROVIDERS).values;
// Loaded once the flags are read: the help answers without them.
const { platformKeys } = await import('../server/sample-platform.ts');
const { startSupervisedProviders } = await import('../server/supervisor.ts');
const { ALL_PROVIDERS } = await import('../subgraphs/index.ts');
const { ConfigError } = await import('../supergraph/config/index.ts');
const { callerKeyFile, exportCallerKey } = await import('../supergraph/execution/index.ts');
const { cliSettings } = await import('./settings.ts');

async function main(): Promise<void> {
  const settings = cliSettings(args.config);
  const names = args.only?.split(',').map((n) => n.trim());
  const unknown = names?.filter((n) => !ALL_PROVIDERS.some((p) => p.name === n)) ?? [];
  if (unknown.length > 0) throw new ConfigError('--only', `no provider ${unknown.join(', ')}; expected some of ${ALL_PROVIDERS.map((p) => p.name).join(', ')}`);
  const keyFile = join(settings.dataDir, 'keys', 'gateway-signing.jwk');
  const { key, created } = await callerKeyFile(keyFile);
  if (created) console.log(`created the gateway's signing key in ${keyFile}`);
  const { trust } = await platformKeys({ callerJwk: await exportCallerKey(key), dataDir: settings.dataDir });
  const providers = await startSupervisedProviders({
    host: settings.subgraphHost, subgraphBasePort: settings.subgraphBasePort, dataDir: settings.dataDir, city: settings.city, trust, ...(names ? { names } : {}),
  });
  console.log(`\n${providers.length} provider(s) answer calls signed with ${keyFile}`);
  const stop = async () => {
    await Promise.all(providers.map((p) => p.close()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
