import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewaySchema } from '../supergraph/gateway/index.ts';
import { protectedSchema, requestAuthorization } from '../supergraph/policy/index.ts';
import { startFaultyProxy, type FaultyProxy } from './support/faulty-proxy.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
let taxPath: FaultyProxy;

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
  taxPath = await startFaultyProxy(platform.providers.find((p) => p.name === 'tax')!.url);
});
afterAll(async () => {
  await taxPath.close();
  await platform.close();
});

const requester = { appId: 'tax-inspection', name: 'Tax', department: 'Taxation Bureau', roles: [], district: null };

/** Executes straight against the shielded schema, with no pruning before planning. */
async function unpruned(query: string, subgraphs = platform.subgraphs) {
  const gateway = buildGatewaySchema({ supergraphSdl: platform.supergraphSdl, subgraphs, defaultTimeoutMs: 2_000 });
  const schema = protectedSchema(gateway, platform.authorization!.catalog);
  const authz = requestAuthorization(platform.authorization!.catalog, requester, 'tax-inspection', [], 'enforce');
  const context = { authz };
  return execute({ schema, document: parse(query), contextValue: context, rootValue: context });
}

describe('the shield at resolve time', () => {
  it('denies a field the policy denies even when pruning was bypassed', async () => {
    const result = await unpruned('{ enterprises(first: 2) { name taxArrears } }');
    expect((result.data!.enterprises as { name: string; taxArrears: null }[])[0]).toEqual({ name: expect.any(String), taxArrears: null });
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN_FIELD', 'FORBIDDEN_FIELD']);
  });

  it('does not mask a provider failure as an authorization error', async () => {
    taxPath.fault = 'graphql-errors';
    const subgraphs = platform.subgraphs.map((s) => (s.name === 'tax' ? { ...s, url: taxPath.url } : s));
    const result = await unpruned('{ enterprises(first: 1) { name taxCreditRating } }', subgraphs);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', subgraph: 'tax' });
  });
});
