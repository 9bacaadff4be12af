import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSchema, releaseUnderShield, requestAuthorization, shieldDocument, shieldedReader } from '../supergraph/policy/index.ts';
import { createPlanExecutor, createProviderClient } from '../supergraph/execution/index.ts';
import { createGateway } from '../supergraph/gateway/index.ts';
import { APPS, grant } from './support/authorization.ts';
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

const requester = { appId: 'tax-inspection', name: 'Tax', department: 'Taxation Bureau', roles: [], district: '660104' };

async function shieldFixture() {
  const catalog = platform.authorization!.catalog;
  const clients = new Map(platform.subgraphs.map((s) => [s.name, createProviderClient({ name: s.name, url: s.url, timeoutMs: 2_000, connections: 4 })]));
  const executor = await createPlanExecutor({ supergraphSdl: platform.supergraphSdl, providers: clients, maxPlanBytes: 1 << 20 });
  await executor.close();
  const served = contractSchema(executor.schema, catalog);
  return { catalog, served, shielded: shieldedReader(served, catalog) };
}

describe('the shield over released values', () => {
  it('nulls a value the policy denies even when pruning was bypassed, with FORBIDDEN_FIELD', async () => {
    const { catalog, served, shielded } = await shieldFixture();
    const authz = requestAuthorization(catalog, requester, 'tax-inspection', [], 'enforce');
    const document = parse('{ enterprises(first: 2) { name taxArrears } }');
    const shield = shieldDocument(served, document, authz.verdictFor);
    expect(shield).not.toBeNull();
    const data = { enterprises: [{ name: 'A', taxArrears: 10 }, { name: 'B', taxArrears: 0 }] };
    const errors = await releaseUnderShield({ schema: shielded, document: shield!, data, variables: undefined, context: { authz } });
    expect(data).toEqual({ enterprises: [{ name: 'A', taxArrears: null }, { name: 'B', taxArrears: null }] });
    expect(errors.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['FORBIDDEN_FIELD', ['enterprises', 0, 'taxArrears']],
      ['FORBIDDEN_FIELD', ['enterprises', 1, 'taxArrears']],
    ]);
  });

  it('is not run at all when every selected field is allowed outright', async () => {
    const { catalog, served } = await shieldFixture();
    const authz = requestAuthorization(catalog, requester, 'tax-inspection', [], 'enforce');
    expect(shieldDocument(served, parse('{ enterprises(first: 2) { name status } }'), authz.verdictFor)).toBeNull();
  });

  it('withholds a row outside a district-limited grant, keeping the rest of the row’s parent', async () => {
    const { catalog, served, shielded } = await shieldFixture();
    const grants = [{ id: 'g1', appId: 'x', coordinates: ['Person.name'], purpose: 'tax-inspection', rowScope: 'OWN_DISTRICT' }] as never;
    const authz = requestAuthorization(catalog, requester, 'tax-inspection', grants, 'enforce');
    const document = parse('{ enterprises(first: 2) { name legalRepresentative { name _jg_district: district } } }');
    const shield = shieldDocument(served, document, authz.verdictFor)!;
    const data = { enterprises: [{ name: 'A', legalRepresentative: { name: 'in', _jg_district: '660104' } }, { name: 'B', legalRepresentative: { name: 'out', _jg_district: '660101' } }] };
    const errors = await releaseUnderShield({ schema: shielded, document: shield, data, variables: undefined, context: { authz } });
    expect(data.enterprises[0]!.legalRepresentative.name).toBe('in');
    expect(data.enterprises[1]!.legalRepresentative.name).toBeNull();
    expect(errors.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN_ROW', ['enterprises', 1, 'legalRepresentative', 'name']]]);
  });

  it('does not mask a provider failure as an authorization error', async () => {
    await grant(platform, APPS.nanhu, { coordinates: ['Person.name'], purpose: 'counter-service', rowScope: 'OWN_DISTRICT' });
    taxPath.fault = 'graphql-errors';
    const subgraphs = platform.subgraphs.map((s) => (s.name === 'tax' ? { ...s, url: taxPath.url } : s));
    const gateway = await createGateway({
      supergraphSdl: platform.supergraphSdl, subgraphs, defaultTimeoutMs: 2_000, healthTimeoutMs: 300, bodyLimitBytes: 1 << 20,
      authorization: platform.authorization!.options, callerKey: platform.callerKey!,
    });
    try {
      const response = await gateway.inject({
        method: 'POST', url: '/graphql',
        headers: { 'content-type': 'application/json', 'x-api-key': APPS.nanhu, 'x-jointgraph-purpose': 'counter-service' },
        payload: { query: '{ enterprises(first: 3) { name taxCreditRating legalRepresentative { name } } }' },
      });
      const errors = (response.json() as { errors: { extensions: Record<string, unknown> }[] }).errors;
      expect(errors.some((e) => e.extensions.code === 'SUBGRAPH_ERROR' && e.extensions.subgraph === 'tax')).toBe(true);
      expect(errors.every((e) => ['SUBGRAPH_ERROR', 'FORBIDDEN_ROW'].includes(e.extensions.code as string))).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});
