import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, answer, APPS, applyFor, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const APPLY = 'mutation($input: ApplyInput!) { apply(input: $input) { id } }';
const input = { coordinates: ['Person.name'], purpose: 'tax-inspection', basis: 'Case work', expiresAt: '2099-01-01T00:00:00Z' };

describe('filing is bounded per app', () => {
  it('refuses a 51st application waiting for answers with LIMIT_REACHED, and accepts again once one is answered', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await applyFor(platform, APPS.tax, { ...input, purpose: `tax-inspection/${i}` })).id);
    const refused = await adminCall(platform, { apiKey: APPS.tax }, APPLY, { input });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_REACHED', hint: expect.any(String) });
    expect(refused.errors?.[0]?.message).toContain('at most 50');
    // Another app is not held back by this one.
    expect((await adminCall(platform, { apiKey: APPS.assistance }, APPLY, { input: { ...input, purpose: 'social-assistance' } })).errors).toBeUndefined();
    await answer(platform, 'operator', ids[0]!, 'refuse', 'Not needed');
    expect((await adminCall(platform, { apiKey: APPS.tax }, APPLY, { input })).errors).toBeUndefined();
  });

  it('refuses a 101st objection waiting for an answer with LIMIT_REACHED', async () => {
    // Only an app that received a record's value objects to it: 101 names received first.
    const { data } = await asApp(platform, APPS.assistance, 'social-assistance')('{ a: enterprises(first: 100) { creditCode name } b: enterprises(first: 1, offset: 100) { creditCode name } }');
    const codes = [...(data!.a as { creditCode: string }[]), ...(data!.b as { creditCode: string }[])].map((e) => e.creditCode);
    const file = (i: number) =>
      adminCall(platform, { apiKey: APPS.assistance }, `mutation { fileObjection(input: { coordinate: "Enterprise.name", key: "${codes[i]}", observedValue: "x", comment: "Wrong name" }) { id } }`);
    for (let i = 0; i < 100; i++) expect((await file(i)).errors, `objection ${i}`).toBeUndefined();
    expect((await file(100)).errors?.[0]?.extensions?.code).toBe('LIMIT_REACHED');
  });
});

describe('the admin endpoint', () => {
  it('codes every error it answers, with a hint, as /graphql does', async () => {
    const cases: [string, string][] = [
      ['{ nothing }', 'GRAPHQL_VALIDATION_FAILED'],
      ['{ applications(', 'GRAPHQL_PARSE_FAILED'],
      ['query($id: ID!) { application(id: $id) { id } }', 'BAD_USER_INPUT'],
    ];
    for (const [query, code] of cases) {
      const result = await adminCall(platform, { token: 'jg-admin-operator' }, query);
      expect(result.errors?.[0]?.extensions, query).toMatchObject({ code, hint: expect.any(String) });
    }
  });
});
