// What the console reads beside the grant workflow, through the admin endpoint: the audit trail
// searched (the operator's auditors all of it, an app only its own records), the label report
// (the operator every field, a provider its own) and each catalogue field's quality.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const RECORD = 'seq requestId appId purpose returned providers outcome';
const ask = (apiKey: string, purpose: string, requestId: string, query: string) =>
  platform.gateway.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-jointgraph-purpose': purpose, 'x-request-id': requestId },
    payload: { query },
  });

describe('the audit search on the admin endpoint', () => {
  it('finds a request by its id, field, provider, purpose and dates for the operator’s auditors', async () => {
    const from = new Date().toISOString();
    await ask(APPS.tax, 'tax-inspection/CASE-90', 'search-1', '{ enterprises(first: 1) { name taxCreditRating } }');
    await ask(APPS.portal, 'credit-service/REQ-3', 'search-2', '{ enterprises(first: 1) { name } }');
    const search = (args: string) => adminCall(platform, { token: 'jg-principal-zhao.min' }, `{ accessRecords(${args}) { ${RECORD} } }`);
    const byId = (await search('requestId: "search-1"')).data?.accessRecords as { seq: number }[];
    expect(byId).toEqual([expect.objectContaining({ requestId: 'search-1', appId: 'tax-inspection', purpose: 'tax-inspection/CASE-90', providers: ['enterprise', 'tax'] })]);
    const ids = async (args: string) => ((await search(args)).data?.accessRecords as { requestId: string }[]).map((r) => r.requestId);
    expect(await ids(`from: "${from}", coordinate: "Enterprise.taxCreditRating"`)).toEqual(['search-1']);
    expect(await ids(`from: "${from}", provider: "tax"`)).toEqual(['search-1']);
    expect(await ids(`from: "${from}", purpose: "credit-service"`)).toEqual(['search-2']);
    expect(await ids(`from: "${from}"`)).toEqual(['search-2', 'search-1']);
    expect(await ids(`from: "${from}", last: 1, before: ${byId[0]!.seq + 1}`)).toEqual(['search-1']);
    expect((await search('from: "yesterday"')).errors?.[0]?.extensions?.code).toBe('APPLICATION_INVALID');
    // A principal without the auditor role, a provider: refused.
    expect((await adminCall(platform, { token: 'jg-principal-chen.jie' }, '{ accessRecords { seq } }')).errors?.[0]?.extensions?.code).toBe('ROLE_REQUIRED');
    expect((await adminCall(platform, { token: 'jg-admin-tax' }, '{ accessRecords { seq } }')).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('lets an app read its own access records and no other app’s', async () => {
    await ask(APPS.portal, 'credit-service/REQ-4', 'own-1', '{ enterprises(first: 1) { name } }');
    const own = await adminCall(platform, { apiKey: APPS.portal }, `{ accessRecords(requestId: "own-1") { ${RECORD} } }`);
    expect(own.data?.accessRecords).toEqual([expect.objectContaining({ requestId: 'own-1', appId: 'credit-portal' })]);
    const all = (await adminCall(platform, { apiKey: APPS.portal }, '{ accessRecords(last: 1000) { appId } }')).data?.accessRecords as { appId: string }[];
    expect(new Set(all.map((r) => r.appId))).toEqual(new Set(['credit-portal']));
    expect((await adminCall(platform, { apiKey: APPS.portal }, '{ accessRecords(appId: "tax-inspection") { seq } }')).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });
});

describe('the label report and field quality', () => {
  it('shows the operator every conflict and unlabeled field, a provider only its own', async () => {
    const report = async (token: string) => (await adminCall(platform, { token }, '{ labelReport { unlabeled missingBasis derivedFromNotShared conflicts { coordinate proposal { sharing grade } overlay { sharing grade } } } }')).data?.labelReport as { conflicts: { coordinate: string }[] };
    const operator = await report('jg-principal-zhao.min');
    expect(operator.conflicts.map((c) => c.coordinate).sort()).toEqual(['Enterprise.legalRepresentative', 'Person.ethnicity', 'Person.legalRepresentativeOf']);
    const ofPopulation = (await report('jg-admin-population')).conflicts.map((c) => c.coordinate);
    expect(ofPopulation.length).toBeGreaterThan(0);
    expect(ofPopulation.length).toBeLessThan(operator.conflicts.length);
    expect((await report('jg-admin-tax')).conflicts).toEqual([]);
    expect((await adminCall(platform, { apiKey: APPS.portal }, '{ labelReport { unlabeled } }')).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('gives each catalogue field its declared and measured quality, to apps too', async () => {
    await ask(APPS.tax, 'tax-inspection/CASE-91', 'quality-1', '{ enterprises(first: 3) { taxCreditRating } }');
    const labels = (await adminCall(platform, { apiKey: APPS.tax }, '{ labels { coordinate quality { provider declared { updateCycle } measured { samples } } } }')).data?.labels as { coordinate: string; quality: { provider: string; declared: { updateCycle: string }; measured: { samples: number } } | null }[];
    const rating = labels.find((l) => l.coordinate === 'Enterprise.taxCreditRating')!;
    expect(rating.quality).toMatchObject({ provider: 'tax', declared: { updateCycle: 'YEARLY' } });
    expect(rating.quality!.measured.samples).toBeGreaterThanOrEqual(3);
    expect(labels.find((l) => l.coordinate === 'Query.enterprises')!.quality).toBeNull();
  });
});
