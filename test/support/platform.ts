// The one fixture domain for tests: the sample providers on a small (or the default) city,
// each test file with its own store directory so that store edits never leak between files.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSamplePlatform, type SamplePlatform, type SamplePlatformOptions } from '../../server/sample-platform.ts';
import { RequestLog } from '../../subgraphs/index.ts';
import { authorizationSettings, type AuthorizationSettings } from '../../server/authorization.ts';
import { loadSettings, type CitySettings } from '../../supergraph/config/index.ts';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { ASSERTION_HEADER, GATEWAY_ISSUER, queryCoordinates, type BoundCall } from '../../protocol/index.ts';
import { SAMPLE_PROVIDERS } from '../../subgraphs/index.ts';
import { assertionSigner, generateCallerKey, registryHeaders as signedAsRegistry, type AssertionClaims } from '../../supergraph/execution/index.ts';

/**
 * Tests that ask a provider directly do so as the operator's registry would: with an assertion
 * signed by a key the test platforms' providers trust besides the gateway's.
 */
export const TEST_REGISTRY_KEY = await generateCallerKey();
const asRegistry = signedAsRegistry(TEST_REGISTRY_KEY, 'test');

/** The provider a URL of the test platform belongs to, as its assertion's audience. */
const providerOf = new Map<string, string>();

const providerSchemas = new Map(SAMPLE_PROVIDERS.map((p) => [p.name, buildSubgraphSchema({ typeDefs: parse(p.typeDefs) })]));

/** What a query asks of a sample provider's own schema (none for a call that is no GraphQL query). */
export function askedOf(provider: string, query: string): string[] {
  const schema = providerSchemas.get(provider);
  try {
    return schema ? queryCoordinates(schema, query) : [];
  } catch {
    return [];
  }
}

/** Headers that sign one call to a sample provider, bound to it and naming what its query asks of that provider. */
export async function registryHeaders(provider: string, query: string, call: BoundCall): Promise<Record<string, string>> {
  return asRegistry(provider, query, call, askedOf(provider, query));
}

const asGateway = assertionSigner({ key: TEST_REGISTRY_KEY, issuer: GATEWAY_ISSUER });

/**
 * Calls a sample provider as the gateway calls it for an app (claims: purpose, grants, row scope),
 * with an assertion bound to the call and naming what the query asks; the provider's own answer.
 */
export async function callAsGateway(provider: string, url: string, query: string, variables: Record<string, unknown> | undefined, claims: Omit<AssertionClaims, 'subject'> & { subject?: string }) {
  const body = JSON.stringify({ query, variables });
  const assertion = await asGateway(provider, query, { subject: 'test-app', ...claims, coordinates: claims.coordinates ?? askedOf(provider, query) }, { method: 'POST', url, body });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: assertion }, body });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** Big enough for N = 1000 fan-out, small enough to seed in well under a second. */
export const SMALL_CITY: CitySettings = Object.freeze({ seed: 7, persons: 3_000, enterprises: 1_200 });

/** The city `npm start` serves, whose outputs the README shows. */
export const DEFAULT_CITY: CitySettings = loadSettings({}).city;

export interface TestPlatform extends SamplePlatform {
  log: RequestLog;
  dataDir: string;
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLBody>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  extensions?: Record<string, unknown>;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Authorization with the sample overlay and apps, its state in a fresh directory. */
export function sampleAuthorization(overrides: Partial<AuthorizationSettings> = {}): AuthorizationSettings {
  const dataDir = tempDataDir();
  const settings = loadSettings({ JG_DATA_DIR: dataDir });
  return { ...authorizationSettings(settings), stateDir: join(dataDir, 'state'), ...overrides };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'jointgraph-test-'));
}

export async function startTestPlatform(
  overrides: Partial<Omit<SamplePlatformOptions, 'gateway'>> & { gateway?: Partial<SamplePlatformOptions['gateway']> } = {},
): Promise<TestPlatform> {
  const log = overrides.log ?? new RequestLog();
  const dataDir = overrides.dataDir ?? tempDataDir();
  const platform = await startSamplePlatform({
    host: '127.0.0.1',
    subgraphBasePort: 0,
    city: SMALL_CITY,
    ...overrides,
    trustedKeys: [TEST_REGISTRY_KEY.publicJwk, ...(overrides.trustedKeys ?? [])],
    dataDir,
    log,
    gateway: { defaultTimeoutMs: 5_000, healthTimeoutMs: 1_000, bodyLimitBytes: 1_048_576, ...overrides.gateway },
  });
  for (const p of platform.providers) providerOf.set(p.url, p.name);
  return {
    ...platform,
    log,
    dataDir,
    async query(query, variables, headers = {}) {
      const response = await platform.gateway.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: { query, ...(variables ? { variables } : {}) },
      });
      return response.json() as GraphQLBody;
    },
  };
}

/** Sends a GraphQL request straight to a provider, bypassing the gateway (signed as the registry). */
export async function queryProvider(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLBody> {
  const provider = providerOf.get(url);
  if (!provider) throw new Error(`${url} is no provider of a test platform`);
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(await registryHeaders(provider, query, { method: 'POST', url, body })) },
    body,
  });
  return (await response.json()) as GraphQLBody;
}
