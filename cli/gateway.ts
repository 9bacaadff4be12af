// The gateway alone, in front of whatever subgraphs a supergraph file names.
// Flags: --supergraph FILE (default: the setting), --port N, --host H.

import { readFileSync } from 'node:fs';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { createGateway } from '../supergraph/gateway/index.ts';
import { cliArgs } from './args.ts';

async function main(): Promise<void> {
  const args = cliArgs({ supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
  const settings = loadSettings({ ...process.env, ...(args.port ? { JG_PORT: args.port } : {}), ...(args.host ? { JG_HOST: args.host } : {}) });
  const supergraphSdl = readFileSync(args.supergraph ?? settings.supergraphFile, 'utf8');
  const gateway = await createGateway({
    supergraphSdl,
    defaultTimeoutMs: settings.subgraphTimeoutMs,
    healthTimeoutMs: settings.healthTimeoutMs,
    bodyLimitBytes: settings.bodyLimitBytes,
    maxResponseBytes: settings.maxResponseBytes,
  });
  const address = await gateway.listen({ host: settings.host, port: settings.port });
  console.log(`JointGraph gateway at ${address}/graphql`);
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[${error.code}] ${error.message}`);
  else console.error(error);
  process.exit(1);
});
