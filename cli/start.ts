// npm start: this process only supervises; the five sample providers and the gateway in front of
// them (composed live) each run in a process of its own, restarted if it dies. Ctrl-C stops all.

import { lockStateDir, StateDirLockedError, type InstanceLock } from '../server/instance-lock.ts';
import { join } from 'node:path';
import { startSupervisedPlatform, type SupervisedPlatform } from '../server/sample-platform.ts';
import { ProcessStartError } from '../server/supervisor.ts';
import { authorizationSettings } from '../server/authorization.ts';
import { readCachePolicy } from '../supergraph/cache/index.ts';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { callerKeyFile, exportCallerKey } from '../supergraph/execution/index.ts';

const EXAMPLE = `{
  enterprises(first: 2) {
    name status taxCreditRating insuredEmployees
    legalRepresentative { name maritalStatus }
  }
}`;

async function main(): Promise<void> {
  const settings = loadSettings(process.env);
  const authorization = settings.authzMode === 'off' ? undefined : authorizationSettings(settings);
  const started = Date.now();
  let platform: SupervisedPlatform | undefined;
  let lock: InstanceLock | undefined;
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the gateway and the providers…`);
    await platform?.close();
    await lock?.release().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));

  // Before any provider starts or store opens: a second instance on this state directory stops here.
  if (authorization) {
    lock = await lockStateDir(settings.stateDir, (error) => {
      console.error(`[STATE_DIR_LOCKED] lost the lock on ${settings.stateDir}: ${error.message}`);
      void stop('state directory lock lost', 1);
    });
  }
  // The key the gateway signs its calls to providers with; providers trust its public half.
  const keyFile = join(settings.dataDir, 'keys', 'gateway-signing.jwk');
  const signing = await callerKeyFile(keyFile);
  if (signing.created) console.log(`created the gateway's signing key in ${keyFile}`);
  platform = await startSupervisedPlatform({
    callerJwk: await exportCallerKey(signing.key),
    host: settings.subgraphHost,
    subgraphBasePort: settings.subgraphBasePort,
    dataDir: settings.dataDir,
    city: settings.city,
    listen: { host: settings.host, port: settings.port },
    gateway: {
      defaultTimeoutMs: settings.subgraphTimeoutMs,
      healthTimeoutMs: settings.healthTimeoutMs,
      bodyLimitBytes: settings.bodyLimitBytes,
      maxResponseBytes: settings.maxResponseBytes,
      probeIntervalMs: settings.probeIntervalMs,
      ...(settings.cache ? { cachePolicy: readCachePolicy(settings.cachePolicyFile) } : {}),
    },
    ...(authorization ? { authorization } : {}),
  });
  const address = platform.gateway.url;
  console.log(`\nJointGraph gateway ready in ${Date.now() - started} ms (supervisor pid ${process.pid}; ${settings.city.persons} persons, ${settings.city.enterprises} enterprises)`);
  console.log(`  GraphQL   ${address}/graphql`);
  console.log(`  GraphiQL  ${address}/graphiql`);
  console.log(`  health    ${address}/health`);
  if (authorization) console.log(`  admin     ${address}/admin/graphql   (authorization: ${settings.authzMode})`);
  const credentials = authorization ? `-H 'x-api-key: jg-demo-tax-inspection' -H 'x-jointgraph-purpose: tax-inspection/CASE-2026-0042' ` : '';
  console.log(`\nTry:\n  curl -s ${address}/graphql -H 'content-type: application/json' ${credentials}\\\n    -d '${JSON.stringify({ query: EXAMPLE.replace(/\s+/g, ' ') })}'\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StateDirLockedError) console.error(`[${error.code}] ${error.message}`);
  else if (error instanceof ProcessStartError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
