// `jointgraph serve`: the gateway in front of the subgraphs a configuration lists, or in front of
// the supervised sample providers when it asks for them (`npm start`). Labels, grants and the audit
// trail are on unless the configuration says `authorization.mode: off`, which is announced.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCachePolicy } from '../supergraph/cache/index.ts';
import { readSubgraphList, type Settings, type SubgraphEntry } from '../supergraph/config/index.ts';
import { callerKeyFile, exportCallerKey, importCallerKey } from '../supergraph/execution/index.ts';
import { authorizationSettings } from './authorization.ts';
import { lockStateDir, type InstanceLock } from './instance-lock.ts';
import { openSupergraph, serveSupergraph, startSupervisedPlatform, type SupergraphOptions } from './sample-platform.ts';

export const AUTHORIZATION_OFF_WARNING =
  'WARNING authorization.mode is off: serving plain federation. Every field, NOT_SHARED ones included, goes to any caller, and nothing is audited.';

export interface ServeOptions {
  /** Serve this composed supergraph instead of composing the subgraphs' live SDL (not for the sample providers). */
  supergraphFile?: string;
  /** Where start-up notes and the warning go; the console by default. */
  log?: (line: string) => void;
  warn?: (line: string) => void;
  /** The lock on the state folder was lost: the caller should stop. */
  onLockLost?: (error: Error) => void;
  /** A worker of server.workers: the primary holds the state folder's lock for all of them. */
  lockHeldByPrimary?: boolean;
}

export interface Serving {
  url: string;
  authorization: boolean;
  /** What was started, for the banner: the subgraphs' names. */
  subgraphs: string[];
  close(): Promise<void>;
}

export async function serve(settings: Readonly<Settings>, options: ServeOptions = {}): Promise<Serving> {
  const log = options.log ?? ((line) => console.log(line));
  const authorization = settings.authzMode === 'off' ? undefined : authorizationSettings(settings);
  if (!authorization) (options.warn ?? ((line) => console.warn(line)))(AUTHORIZATION_OFF_WARNING);
  // Before any provider starts or store opens: a second instance on this state directory stops here.
  const lock: InstanceLock | undefined = authorization && !options.lockHeldByPrimary
    ? await lockStateDir(settings.stateDir, (error) => (options.onLockLost ?? ((e) => log(`[STATE_DIR_LOCKED] lost the lock on ${settings.stateDir}: ${e.message}`)))(error))
    : undefined;
  try {
    const served = await open(settings, authorization, options, log);
    return {
      ...served,
      authorization: Boolean(authorization),
      async close() {
        await served.close();
        await lock?.release().catch(() => undefined);
      },
    };
  } catch (error) {
    await lock?.release().catch(() => undefined);
    throw error;
  }
}

/** The key the gateway signs its calls to providers with (made at the first start); providers trust its public half. */
export async function gatewaySigningKey(settings: Readonly<Settings>, log: (line: string) => void) {
  const keyFile = join(settings.dataDir, 'keys', 'gateway-signing.jwk');
  const signing = await callerKeyFile(keyFile);
  if (signing.created) log(`created the gateway's signing key in ${keyFile}`);
  return signing.key;
}

async function open(settings: Readonly<Settings>, authorization: SupergraphOptions['authorization'], options: ServeOptions, log: (line: string) => void) {
  const callerJwk = await exportCallerKey(await gatewaySigningKey(settings, log));
  const gateway = {
    defaultTimeoutMs: settings.subgraphTimeoutMs,
    healthTimeoutMs: settings.healthTimeoutMs,
    bodyLimitBytes: settings.bodyLimitBytes,
    maxResponseBytes: settings.maxResponseBytes,
    fairUse: settings.fairUse,
    probeIntervalMs: settings.probeIntervalMs,
    logger: { level: settings.logLevel },
    ...(settings.otlpEndpoint ? { tracing: { endpoint: settings.otlpEndpoint } } : {}),
    ...(settings.cache ? { cachePolicy: readCachePolicy(settings.cachePolicyFile) } : {}),
    ...(settings.redisUrl ? { redis: { url: settings.redisUrl } } : {}),
  };
  if (settings.sampleProviders) {
    const platform = await startSupervisedPlatform({
      callerJwk,
      host: settings.subgraphHost,
      subgraphBasePort: settings.subgraphBasePort,
      dataDir: settings.dataDir,
      city: settings.city,
      listen: { host: settings.host, port: settings.port },
      gateway,
      ...(authorization ? { authorization } : {}),
    });
    return { url: platform.gateway.url, subgraphs: platform.providers.map((p) => p.name), close: () => platform.close() };
  }
  const subgraphs: SubgraphEntry[] = [...(settings.subgraphs ?? readSubgraphList(settings.subgraphListFile))];
  const timeouts = Object.fromEntries(subgraphs.flatMap((s) => (s.timeoutMs ? [[s.name, s.timeoutMs]] : [])));
  const supergraphOptions: SupergraphOptions = { gateway, timeouts, callerJwk, ...(authorization ? { authorization } : {}) };
  const served = options.supergraphFile
    ? await openSupergraph(readFileSync(options.supergraphFile, 'utf8'), subgraphs, supergraphOptions, await importCallerKey(callerJwk))
    : await serveSupergraph(subgraphs, supergraphOptions);
  try {
    const url = await served.gateway.listen({ host: settings.host, port: settings.port });
    return { url, subgraphs: subgraphs.map((s) => s.name), close: () => served.close() };
  } catch (error) {
    await served.close();
    throw error;
  }
}
