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
    expect(result.errors?.map((e) => e.extensions?.limit)).toEqual(['maxRootFields', 'maxAliases']);
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('reads page sizes from variables and defaults, and refuses a page larger than the provider serves', async () => {
    // Each alias costs 1 + 10,000 × 1: 19 of them pass, 20 do not, whether the page is a literal or a variable.
    const aliases = (n: number, page: string) => Array.from({ length: n }, (_, i) => `a${i}: enterprises(first: ${page}) { name }`).join(' ');
    expect((await ask()(`query($n: Int) { ${aliases(19, '$n')} }`, { n: 10_000 })).errors).toBeUndefined();
    const refused = await ask()(`query($n: Int) { ${aliases(20, '$n')} }`, { n: 10_000 });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxCost', measured: 200_020, allowed: 200_000 });
    expect((await ask()(`{ ${aliases(20, '10000')} }`)).errors?.[0]?.extensions).toMatchObject({ limit: 'maxCost', measured: 200_020 });
    expect((await ask()(`query($n: Int) { ${aliases(20, '$n')} }`, { n: 100 })).errors).toBeUndefined();
    // Without the argument, its default (20) is the page.
    expect((await ask()(`query($n: Int = 10000) { ${aliases(20, '$n')} }`)).errors?.[0]?.extensions).toMatchObject({ limit: 'maxCost' });
    platform.log.clear();
    const oversized = await ask()('query($n: Int) { enterprises(first: $n) { name } }', { n: 20_000 });
    expect(oversized.status).toBe(400);
    expect(oversized.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxPageSize', coordinate: 'Query.enterprises', measured: 20_000, allowed: 10_000 });
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('holds each app to its own cost budget', async () => {
    const fanOut = '{ enterprises(first: 10000) { name status creditCode district } }';
    expect((await ask()(fanOut)).errors).toBeUndefined();
    const street = await asApp(platform, APPS.nanhu, 'one-stop-service/CASE-9')(fanOut);
    expect(street.status).toBe(400);
    expect(street.errors?.[0]?.extensions).toMatchObject({ limit: 'maxCost', measured: 40_001, allowed: 20_000 });
  });

  it('refuses too many root fields and too many variables', async () => {
    const roots = Array.from({ length: 21 }, (_, i) => `r${i}: __typename`).join(' ');
    expect((await ask()(`{ ${roots} }`)).errors?.[0]?.extensions).toMatchObject({ limit: 'maxRootFields', measured: 21, allowed: 20 });
    const variables = Array.from({ length: 51 }, (_, i) => `$v${i}: Int`).join(', ');
    expect((await ask()(`query(${variables}) { __typename }`)).errors?.map((e) => e.extensions?.limit)).toContain('maxVariables');
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
