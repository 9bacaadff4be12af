import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPS, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());
beforeEach(() => platform.log.clear());

const ask = () => asApp(platform, APPS.tax, 'tax-inspection/CASE-1');

/** 16 levels of fragments, each spreading the one below twice: 2^16 fields once inlined. */
function fragmentBomb(levels: number): string {
  const fragments = [`fragment F0 on Enterprise { name }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Enterprise { ...F${i - 1} ... on Enterprise { ...F${i - 1} } }`);
  return `{ enterprises(first: 1) { ...F${levels} } } ${fragments.join(' ')}`;
}

describe('operation limits', () => {
  it('refuses a fragment bomb before pruning or planning, naming the limit and both values', async () => {
    const result = await ask()(fragmentBomb(16));
    expect(result.status).toBe(400);
    const byLimit = new Map(result.errors!.map((e) => [e.extensions!.limit, e.extensions!]));
    expect(byLimit.get('maxFields')).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', allowed: 1_000 });
    expect(byLimit.get('maxFields')!.measured as number).toBeGreaterThan(1_000);
    expect(byLimit.get('maxCost')).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', allowed: 500_000 });
    expect(byLimit.get('maxCost')!.measured as number).toBeGreaterThan(500_000);
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('counts the fields of an operation with its fragments inlined, not only as written', async () => {
    // 2^10 = 1,024 fields once inlined from about 30 written: under the cost limit, over the field limit.
    const result = await ask()(fragmentBomb(10));
    expect(result.errors?.map((e) => e.extensions?.limit)).toEqual(['maxFields']);
    expect(result.errors?.[0]?.extensions).toMatchObject({ allowed: 1_000, measured: 1_025 });
    expect((await ask()(fragmentBomb(9))).errors).toBeUndefined();
  });

  it('refuses many aliases of a large list', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: enterprises(first: 10000) { name }`).join(' ');
    const result = await ask()(`{ ${aliases} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.map((e) => e.extensions?.limit)).toEqual(expect.arrayContaining(['maxAliases', 'maxCost']));
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('refuses thousands of fields before graphql-js compares them pairwise', async () => {
    const fields = Array.from({ length: 3_000 }, () => 'name').join(' ');
    const result = await ask()(`{ enterprises(first: 1) { ${fields} } }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxFields', allowed: 1_000, measured: 3_001 });
  });

  it('refuses a document deeper than allowed', async () => {
    let selection = 'name';
    for (let i = 0; i < 20; i++) selection = `legalRepresentative { insuranceRecords { employer { ${selection} } } }`;
    const result = await ask()(`{ enterprises(first: 1) { ${selection} } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxDepth' });
  });

  it('lets ordinary work through: the introspection query and a fan-out of 10,000', async () => {
    const introspection = await ask()(getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
    const fanOut = await ask()('{ enterprises(first: 10000) { name status legalRepresentative { district } } }');
    expect(fanOut.errors).toBeUndefined();
  });
});
