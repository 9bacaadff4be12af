// Runs the whole sample domain: the five providers on their own stores, composition from their
// live `_service { sdl }`, and the gateway in front of them; all in this process for the tests, or
// for `npm start` each provider and the gateway in a supervised process of its own.

import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { join } from 'node:path';
import type { RequestLog, RunningProvider } from '../subgraphs/index.ts';
import type { ProviderDefinition } from '../subgraphs/index.ts';
import type { CitySettings, SubgraphEntry } from '../supergraph/config/index.ts';
import { composeSupergraph, CompositionFailedError, formatProblem, loadSubgraphSdl, type SdlHeaders, type SubgraphSdl } from '../supergraph/compose/index.ts';
import { exportCallerKey, generateCallerKey, importCallerKey, registryHeaders, type CallerKey } from '../supergraph/execution/index.ts';
import { createGateway, type GatewayOptions } from '../supergraph/gateway/index.ts';
import { openAuthorization, type AuthorizationSettings, type OpenAuthorization } from './authorization.ts';
import { openSchemaRegistry } from './schema-registry.ts';
import type { ControlPlane } from './control-plane.ts';
import type { GatewayProcessStart } from './gateway-process.ts';
import type { Backoff } from './restart-backoff.ts';
import { startSupervisedGateway, startSupervisedProviders, type SupervisedProcess, type SupervisedProvider } from './supervisor.ts';

export interface SamplePlatformOptions {
  host: string;
  /** 0 for a free port per provider; otherwise provider k listens on basePort + k. */
  subgraphBasePort: number;
  dataDir: string;
  city: CitySettings;
  log?: RequestLog;
  providers?: readonly ProviderDefinition[];
  /** Per-provider timeouts, by name. */
  timeouts?: Readonly<Record<string, number>>;
  gateway: Omit<GatewayOptions, 'supergraphSdl' | 'subgraphs' | 'authorization' | 'admin'>;
  /** Labels, joint authorization, the audit trail and the admin endpoint; plain federation without. */
  authorization?: AuthorizationSettings;
  /** The gateway's private signing key (JWK): providers trust its public half. A new one when absent. */
  callerJwk?: JWK;
  /** Public keys providers trust besides the gateway's (an operator's registry tooling). */
  trustedKeys?: JWK[];
}

/** Whom the providers answer, as data (it crosses to provider processes): public keys, and where each keeps its access log. */
export interface ProviderTrust {
  keys: JWK[];
  accessLogDir: string;
  /** Where each provider keeps the key it countersigns audit checkpoints with. */
  keysDir: string;
}

/** What the gateway in front of running providers is opened with. */
export type SupergraphOptions = Pick<SamplePlatformOptions, 'gateway' | 'authorization' | 'timeouts' | 'callerJwk'>;

/** The gateway and its stores in front of providers it neither started nor stops. */
export interface ServedSupergraph {
  subgraphs: SubgraphEntry[];
  supergraphSdl: string;
  gateway: FastifyInstance;
  authorization?: OpenAuthorization;
  /** The key the gateway signs its provider calls with, for another gateway in front of the same providers. */
  callerKey?: CallerKey;
  close(): Promise<void>;
}

export interface SamplePlatform extends ServedSupergraph {
  providers: RunningProvider[];
}

/** Providers and gateway in child processes: only data crosses to them, and the gateway listens where `listen` says. */
export type SupervisedPlatformOptions = Omit<SamplePlatformOptions, 'log' | 'providers' | 'gateway' | 'authorization'> &
  Pick<GatewayProcessStart, 'gateway' | 'authorization'> & { listen: { host: string; port: number }; backoff?: Backoff };

export interface SupervisedPlatform {
  providers: SupervisedProvider[];
  gateway: SupervisedProcess;
  /** Stops the gateway's process first, then the providers'. */
  close(): Promise<void>;
}

/** The gateway's key (made when none is given) and the trust providers are started with. */
export async function platformKeys(options: Pick<SamplePlatformOptions, 'callerJwk' | 'trustedKeys' | 'dataDir'>): Promise<{ callerJwk: JWK; trust: ProviderTrust }> {
  const callerJwk = options.callerJwk ?? (await exportCallerKey(await generateCallerKey()));
  const { publicJwk } = await importCallerKey(callerJwk);
  return { callerJwk, trust: { keys: [publicJwk, ...(options.trustedKeys ?? [])], accessLogDir: join(options.dataDir, 'access'), keysDir: join(options.dataDir, 'keys', 'providers') } };
}

/** What one provider is started with: whom it answers, its access log, its countersigning key and copies. */
export function providerTrust(trust: ProviderTrust, provider: string) {
  return {
    trust: { keys: { keys: trust.keys }, accessLog: join(trust.accessLogDir, `${provider}.jsonl`) },
    countersign: { keyFile: join(trust.keysDir, `${provider}-countersign.pem`), copies: join(trust.accessLogDir, `${provider}.countersigned.jsonl`) },
  };
}

export async function startSampleProviders(options: Omit<SamplePlatformOptions, 'gateway'> & { trust?: ProviderTrust }): Promise<RunningProvider[]> {
  // Loaded here: a gateway process serves no provider and does not load their servers.
  const { SAMPLE_PROVIDERS, startProvider } = await import('../subgraphs/index.ts');
  const definitions = options.providers ?? SAMPLE_PROVIDERS;
  const started: RunningProvider[] = [];
  try {
    for (const [k, provider] of definitions.entries()) {
      const port = options.subgraphBasePort === 0 ? 0 : options.subgraphBasePort + k;
      started.push(
        await startProvider(provider, {
          host: options.host,
          port,
          dataDir: options.dataDir,
          city: options.city,
          ...(options.log ? { log: options.log } : {}),
          ...(options.trust ? providerTrust(options.trust, provider.name) : {}),
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((p) => p.close()));
    throw error;
  }
  return started;
}

export async function composeLive(subgraphs: readonly SubgraphEntry[], headers?: SdlHeaders): Promise<string> {
  return composeSubgraphs(await loadLive(subgraphs, headers));
}

const loadLive = (subgraphs: readonly SubgraphEntry[], headers?: SdlHeaders) =>
  Promise.all(subgraphs.map((s) => loadSubgraphSdl(s, { live: true, ...(headers ? { headers } : {}) })));

function composeSubgraphs(sdls: readonly SubgraphSdl[]): string {
  const result = composeSupergraph(sdls);
  if (!result.ok) throw new CompositionFailedError(result.problems.map(formatProblem).join('\n'));
  return result.supergraphSdl;
}

/** Composition asks for `_service` as the operator's registry, under the gateway's key. */
function asRegistry(callerKey: CallerKey | undefined): SdlHeaders | undefined {
  return callerKey ? registryHeaders(callerKey) : undefined;
}

export async function startSamplePlatform(options: SamplePlatformOptions): Promise<SamplePlatform> {
  const { callerJwk, trust } = await platformKeys(options);
  const providers = await startSampleProviders({ ...options, trust });
  return inFrontOf(providers, () => serveSupergraph(providers, { ...options, callerJwk }));
}

/** The platform of `npm start`: a provider's or the gateway's crash stays its own, and it is restarted. */
export async function startSupervisedPlatform(options: SupervisedPlatformOptions): Promise<SupervisedPlatform> {
  const { callerJwk, trust } = await platformKeys(options);
  const providers = await startSupervisedProviders({ ...options, trust });
  return inFrontOf(providers, async () => {
    const gateway = await startSupervisedGateway(
      {
        ...options.listen,
        providers: providers.map(({ name, url }) => ({ name, url })),
        gateway: options.gateway,
        callerJwk,
        ...(options.authorization ? { authorization: options.authorization } : {}),
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      },
      options.backoff,
    );
    return { gateway, close: () => gateway.close() };
  });
}

/** Starts the gateway in front of running `providers`; closing stops it, then them, and they stop too if it cannot start. */
async function inFrontOf<P extends { close(): Promise<void> }, F extends { close(): Promise<void> }>(
  providers: P[],
  startFront: () => Promise<F>,
): Promise<F & { providers: P[] }> {
  const closeProviders = () => Promise.all(providers.map((p) => p.close()));
  try {
    const front = await startFront();
    return {
      ...front,
      providers,
      async close() {
        await front.close();
        await closeProviders();
      },
    };
  } catch (error) {
    await closeProviders();
    throw error;
  }
}

/** Composes the providers' live SDL and opens the gateway, and its stores when authorization is on. */
export async function serveSupergraph(providers: readonly { name: string; url: string }[], options: SupergraphOptions): Promise<ServedSupergraph> {
  const subgraphs: SubgraphEntry[] = providers.map((p) => ({
    name: p.name,
    url: p.url,
    ...(options.timeouts?.[p.name] ? { timeoutMs: options.timeouts[p.name] } : {}),
  }));
  const callerKey = options.callerJwk ? await importCallerKey(options.callerJwk) : undefined;
  const sdls = await loadLive(subgraphs, asRegistry(callerKey));
  return openSupergraph(composeSubgraphs(sdls), subgraphs, options, callerKey, sdls);
}

/** Opens the gateway, and its stores when authorization is on, in front of a composed supergraph. */
export async function openSupergraph(composed: string, subgraphs: SubgraphEntry[], options: SupergraphOptions, callerKey?: CallerKey, sdls?: SubgraphSdl[]): Promise<ServedSupergraph> {
  const settings = options.authorization;
  const stores: ControlPlane | undefined = settings
    // Loaded with authorization only: a plain gateway does not load the query builder and the stores.
    ? await (await import('./control-plane.ts')).openControlPlane(settings, onceEach(settings.postgres ? 'shared store (PostgreSQL)' : 'control-plane store'))
    : undefined;
  let schemaRegistry: ReturnType<typeof openSchemaRegistry> | undefined;
  let authorization: OpenAuthorization | undefined;
  try {
    schemaRegistry = settings
      ? openSchemaRegistry(settings, () => (sdls ? Promise.resolve(sdls) : loadLive(subgraphs, asRegistry(callerKey))), stores!)
      : undefined;
    // Versions published earlier are served again after a restart.
    const supergraphSdl = schemaRegistry?.store.active().length ? composeSubgraphs(await schemaRegistry.registry.current()) : composed;
    authorization = settings ? openAuthorization(supergraphSdl, settings, stores!) : undefined;
    await authorization?.start();
    // Use of a field is read from the audit trail and the active grants, once they are open.
    if (schemaRegistry && authorization) schemaRegistry.registry.useAuthorization(authorization);
    const gateway = await createGateway({
      ...options.gateway,
      ...(callerKey ? { callerKey } : {}),
      supergraphSdl,
      subgraphs,
      ...(authorization
        ? {
            authorization: authorization.options,
            admin: {
              registry: authorization.registry, labelOverlayFile: settings!.labelOverlayFile,
              ...(schemaRegistry ? { schemaRegistry: schemaRegistry.registry } : {}), ...(stores?.labels ? { sharedOverlay: stores.labels } : {}),
              ...(settings!.signIn ? { signIn: settings!.signIn } : {}),
            },
          }
        : {}),
    });
    if (schemaRegistry) followRegistry(schemaRegistry, gateway);
    if (stores?.labels) await followLabels(stores.labels, gateway);
    return {
      subgraphs,
      supergraphSdl,
      gateway,
      ...(authorization ? { authorization } : {}),
      ...(callerKey ? { callerKey } : {}),
      async close() {
        await gateway.close();
        authorization?.close();
        await stores?.close();
      },
    };
  } catch (error) {
    authorization?.close();
    await stores?.close();
    throw error;
  }
}

/** Logs a failure, but not again while the same one repeats (a store out of reach fails every retry alike). */
function onceEach(what: string): (error: Error) => void {
  let last: string | undefined;
  return (error) => {
    if (error.message !== last) console.error(`${what}: ${error.message}`);
    last = error.message;
  };
}

/** The label overlay loaded last through any replica is served here: from the start, and from each change on. */
async function followLabels(labels: NonNullable<ControlPlane['labels']>, gateway: FastifyInstance) {
  const state = gateway.jointgraph;
  let served: string | undefined;
  const serve = async () => {
    const loaded = labels.current();
    if (!loaded || loaded.sha256 === served) return;
    served = loaded.sha256;
    await state.swap(undefined, loaded.overlay);
  };
  await serve();
  labels.onChange(() => void serve().catch((error: Error) => gateway.log.error({ err: error }, 'the label overlay changed on another replica, but cannot be served here: the former one stays')));
}

/** A publication, approval or rollback through another replica sharing the registry is served here too. */
function followRegistry({ store, registry }: ReturnType<typeof openSchemaRegistry>, gateway: FastifyInstance) {
  const state = gateway.jointgraph;
  store.onChange?.(() =>
    void registry
      .follow(async (supergraphSdl) => {
        if (supergraphSdl !== state.supergraphSdl) await state.swap(supergraphSdl);
      })
      .catch((error: Error) => gateway.log.error({ err: error }, 'the registry changed on another replica, but its supergraph cannot be served here: the former one stays')),
  );
}
