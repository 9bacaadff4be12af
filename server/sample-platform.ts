// Runs the whole sample domain in one process: the five providers on their own stores,
// composition from their live `_service { sdl }`, and the gateway in front of them.

import type { FastifyInstance } from 'fastify';
import { SAMPLE_PROVIDERS, startProvider, type RequestLog, type RunningProvider } from '../subgraphs/index.ts';
import type { ProviderDefinition } from '../subgraphs/index.ts';
import type { CitySettings, SubgraphEntry } from '../supergraph/config/index.ts';
import { composeSupergraph, formatProblem, loadSubgraphSdl } from '../supergraph/compose/index.ts';
import { createGateway, type GatewayOptions } from '../supergraph/gateway/index.ts';
import { openAuthorization, type AuthorizationSettings, type OpenAuthorization } from './authorization.ts';

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
}

export interface SamplePlatform {
  providers: RunningProvider[];
  subgraphs: SubgraphEntry[];
  supergraphSdl: string;
  gateway: FastifyInstance;
  authorization?: OpenAuthorization;
  close(): Promise<void>;
}

export async function startSampleProviders(options: Omit<SamplePlatformOptions, 'gateway'>): Promise<RunningProvider[]> {
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
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((p) => p.close()));
    throw error;
  }
  return started;
}

export async function composeLive(subgraphs: readonly SubgraphEntry[]): Promise<string> {
  const sdls = await Promise.all(subgraphs.map((s) => loadSubgraphSdl(s, { live: true })));
  const result = composeSupergraph(sdls);
  if (!result.ok) throw new Error(`Composition failed:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.supergraphSdl;
}

export async function startSamplePlatform(options: SamplePlatformOptions): Promise<SamplePlatform> {
  const providers = await startSampleProviders(options);
  try {
    const subgraphs: SubgraphEntry[] = providers.map((p) => ({
      name: p.name,
      url: p.url,
      ...(options.timeouts?.[p.name] ? { timeoutMs: options.timeouts[p.name] } : {}),
    }));
    const supergraphSdl = await composeLive(subgraphs);
    const authorization = options.authorization ? openAuthorization(supergraphSdl, options.authorization) : undefined;
    const gateway = await createGateway({
      ...options.gateway,
      supergraphSdl,
      subgraphs,
      ...(authorization ? { authorization: authorization.options, admin: { registry: authorization.registry } } : {}),
    });
    return {
      providers,
      subgraphs,
      supergraphSdl,
      gateway,
      ...(authorization ? { authorization } : {}),
      async close() {
        await gateway.close();
        authorization?.close();
        await Promise.all(providers.map((p) => p.close()));
      },
    };
  } catch (error) {
    await Promise.all(providers.map((p) => p.close()));
    throw error;
  }
}
