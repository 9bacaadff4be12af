import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWithFaultyTax, type FaultyProxy, type FaultyTaxPlatform } from './support/faulty-proxy.ts';
import type { GraphQLBody } from './support/platform.ts';

let platform: FaultyTaxPlatform;
let taxPath: FaultyProxy;
let gateway: FastifyInstance;

beforeAll(async () => {
  platform = await startWithFaultyTax(300);
  ({ taxPath, gateway } = platform);
});
afterAll(() => platform.close());
beforeEach(() => {
  taxPath.fault = 'none';
});

const QUERY = '{ enterprises(first: 3) { creditCode name taxCreditRating insuredEmployees legalRepresentative { name } } }';

async function query(): Promise<{ status: number; body: GraphQLBody }> {
  const response = await gateway.inject({ method: 'POST', url: '/graphql', payload: { query: QUERY } });
  return { status: response.statusCode, body: response.json() };
}

function expectOthersIntact(body: GraphQLBody) {
  const list = body.data?.enterprises as Record<string, unknown>[];
  expect(list).toHaveLength(3);
  for (const e of list) {
    expect(e.taxCreditRating).toBeNull();
    expect(e.name).toEqual(expect.any(String));
    expect(e.insuredEmployees).toEqual(expect.any(Number));
    expect((e.legalRepresentative as { name: string }).name).toEqual(expect.any(String));
  }
}

describe('partial failure', () => {
  it('answers fully while the provider is healthy', async () => {
    const { body } = await query();
    expect(body.errors).toBeUndefined();
    expect((body.data?.enterprises as { taxCreditRating: string }[])[0]!.taxCreditRating).toMatch(/^[ABMCD]$/);
  });

  it('returns the other providers’ data when one never answers (its timeout ends the wait)', async () => {
    taxPath.fault = 'hang';
    const { status, body } = await query();
    expect(status).toBe(200);
    expectOthersIntact(body);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', subgraph: 'tax' });
    expect(body.errors?.[0]?.message).toContain('"tax"');
  });

  it('returns the other providers’ data when one answers with GraphQL errors', async () => {
    taxPath.fault = 'graphql-errors';
    const { body } = await query();
    expectOthersIntact(body);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_ERROR',
      subgraph: 'tax',
      providerError: { message: 'database is locked', code: 'STORE_BUSY' },
    });
  });

  it('returns the other providers’ data when one answers with an error page', async () => {
    taxPath.fault = 'html-500';
    const { body } = await query();
    expectOthersIntact(body);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_BAD_RESPONSE', subgraph: 'tax' });
  });

  it('returns the other providers’ data when one is down, and reports it in /health', async () => {
    await taxPath.close();
    const { body } = await query();
    expectOthersIntact(body);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'tax' });

    const health = (await gateway.inject({ url: '/health' })).json();
    expect(health.status).toBe('degraded');
    expect(health.subgraphs.find((s: { name: string }) => s.name === 'tax')).toMatchObject({ reachable: false });
    expect(health.subgraphs.find((s: { name: string }) => s.name === 'population')).toMatchObject({ reachable: true, latencyMs: expect.any(Number) });
  });
});
