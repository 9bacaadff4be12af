// npm start: the five sample providers, composed live, behind the gateway. Ctrl-C stops all.

import { startSamplePlatform } from '../server/sample-platform.ts';
import { authorizationSettings } from '../server/authorization.ts';
import { readCachePolicy } from '../supergraph/cache/index.ts';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';

const EXAMPLE = `{
  enterprises(first: 2) {
    name status taxCreditRating insuredEmployees
    legalRepresentative { name maritalStatus }
  }
}`;

async function main(): Promise<void> {
  const settings = loadSettings(process.env);
  const started = Date.now();
  const platform = await startSamplePlatform({
    host: settings.subgraphHost,
    subgraphBasePort: settings.subgraphBasePort,
    dataDir: settings.dataDir,
    city: settings.city,
    gateway: {
      defaultTimeoutMs: settings.subgraphTimeoutMs,
      healthTimeoutMs: settings.healthTimeoutMs,
      bodyLimitBytes: settings.bodyLimitBytes,
      probeIntervalMs: settings.probeIntervalMs,
      ...(settings.cache ? { cachePolicy: readCachePolicy(settings.cachePolicyFile) } : {}),
    },
    ...(settings.authzMode === 'off' ? {} : { authorization: authorizationSettings(settings) }),
  });
  const address = await platform.gateway.listen({ host: settings.host, port: settings.port });
  for (const p of platform.providers) console.log(`provider  ${p.name.padEnd(17)} ${p.url}`);
  console.log(`\nJointGraph gateway ready in ${Date.now() - started} ms (${settings.city.persons} persons, ${settings.city.enterprises} enterprises)`);
  console.log(`  GraphQL   ${address}/graphql`);
  console.log(`  GraphiQL  ${address}/graphiql`);
  console.log(`  health    ${address}/health`);
  if (platform.authorization) console.log(`  admin     ${address}/admin/graphql   (authorization: ${settings.authzMode})`);
  const credentials = platform.authorization ? `-H 'x-api-key: jg-demo-tax-inspection' -H 'x-jointgraph-purpose: tax-inspection/CASE-2026-0042' ` : '';
  console.log(`\nTry:\n  curl -s ${address}/graphql -H 'content-type: application/json' ${credentials}\\\n    -d '${JSON.stringify({ query: EXAMPLE.replace(/\s+/g, ' ') })}'\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the gateway and the providers…`);
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[${error.code}] ${error.message}`);
  else console.error(error);
  process.exit(1);
});
