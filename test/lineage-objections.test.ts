import { parse, visit } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCachePolicy } from '../supergraph/cache/index.ts';
import { adminCall, APPS, grant } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let clock = new Date('2026-11-23T09:00:00Z');
let platform: TestPlatform;
let code: string;

beforeAll(async () => {
  platform = await startTestPlatform({
    authorization: sampleAuthorization({ now: () => clock }),
    gateway: { cachePolicy: parseCachePolicy({ coordinates: { 'Enterprise.*': { ttlSeconds: 600 }, 'Query.enterprise': { ttlSeconds: 600 } } }) },
  });
  await grant(platform, APPS.tax, { coordinates: ['Person.name', 'Enterprise.taxArrears'], purpose: 'tax-inspection' });
  const { data } = await ask('{ enterprises(first: 1, offset: 9) { creditCode } }');
  code = (data!.enterprises as { creditCode: string }[])[0]!.creditCode;
});
afterAll(() => platform.close());
beforeEach(() => platform.log.clear());

async function ask(query: string, lineage = false) {
  const response = await platform.gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-5', ...(lineage ? { 'x-jointgraph-lineage': 'true' } : {}) },
    payload: { query },
  });
  return response.json() as { data?: Record<string, unknown>; errors?: { extensions?: Record<string, unknown> }[]; extensions?: { lineage?: Lineage } };
}

interface Lineage {
  highestGrade: string;
  sources: { path: string[]; coordinate: string; provider: string; updateCycle: string | null; asOf: string | null }[];
  stale: unknown[];
  objections: { path: (string | number)[]; coordinate: string }[];
}

function askedFields(): Map<string, Set<string>> {
  const asked = new Map<string, Set<string>>();
  for (const e of platform.log.dataRequests()) {
    visit(parse(e.query), { Field: (n) => void (asked.get(e.provider) ?? asked.set(e.provider, new Set()).get(e.provider)!).add(n.name.value) });
  }
  return asked;
}

describe('lineage', () => {
  it('is only added when asked for', async () => {
    expect((await ask('{ enterprise(creditCode: "x") { name } }')).extensions).toBeUndefined();
    expect((await ask('{ enterprise(creditCode: "x") { name } }', true)).extensions?.lineage).toBeDefined();
  });

  it('names the provider of every path truthfully, as the providers’ own logs show', async () => {
    const result = await ask(`{ enterprise(creditCode: "${code}") { name taxCreditRating taxArrears legalRepresentative { name district } } }`, true);
    expect(result.errors).toBeUndefined();
    const lineage = result.extensions!.lineage!;
    const asked = askedFields();
    expect(lineage.sources.map((s) => [s.path.join('.'), s.provider])).toEqual(
      expect.arrayContaining([
        ['enterprise.name', 'enterprise'],
        ['enterprise.taxCreditRating', 'tax'],
        ['enterprise.taxArrears', 'tax'],
        ['enterprise.legalRepresentative.name', 'population'],
        ['enterprise.legalRepresentative.district', 'population'],
      ]),
    );
    for (const source of lineage.sources) {
      if (source.coordinate.startsWith('Query.') || source.coordinate === 'Enterprise.legalRepresentative') continue;
      const field = source.coordinate.split('.')[1]!;
      expect(asked.get(source.provider)?.has(field), `${source.provider} served ${source.coordinate}`).toBe(true);
    }
    const providersInLineage = new Set(lineage.sources.map((s) => s.provider));
    expect([...asked.keys()].sort()).toEqual([...providersInLineage].sort());
    expect(JSON.stringify(result.data)).not.toContain('_jg_');
  });

  it('gives the as-of time and declared cycle, and the highest grade returned', async () => {
    const general = await ask(`{ enterprise(creditCode: "${code}") { name taxCreditRating } }`, true);
    expect(general.extensions!.lineage!.highestGrade).toBe('GENERAL');
    const rating = general.extensions!.lineage!.sources.find((s) => s.coordinate === 'Enterprise.taxCreditRating')!;
    expect(rating).toMatchObject({ updateCycle: 'YEARLY', asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}/) });
    const name = general.extensions!.lineage!.sources.find((s) => s.coordinate === 'Enterprise.name')!;
    expect(Date.parse(name.asOf!)).toBeGreaterThan(Date.parse('2026-01-01')); // the register's last update
    const important = await ask(`{ enterprise(creditCode: "${code}") { name taxArrears } }`, true);
    expect(important.extensions!.lineage!.highestGrade).toBe('IMPORTANT');
  });
});

describe('data objections', () => {
  const NAME = () => `{ enterprise(creditCode: "${code}") { name } }`;
  const objectToName = (apiKey: string, key: string) =>
    adminCall(platform, { apiKey }, `mutation { fileObjection(input: { coordinate: "Enterprise.name", key: "${key}", observedValue: "x", comment: "Looks wrong" }) { id } }`);

  it('mark the value while open, are answered only by the owner, and a correction invalidates the cache', async () => {
    await ask(NAME()); // cached now
    const filed = await adminCall(platform, { apiKey: APPS.tax }, `mutation { fileObjection(input: { coordinate: "Enterprise.name", key: "${code}", observedValue: "old name", comment: "Renamed in 2024", evidence: "Notice 2024-17" }) { id status deadline } }`);
    const objection = filed.data!.fileObjection as { id: string; status: string; deadline: string };
    expect(objection).toMatchObject({ status: 'OPEN', deadline: '2026-11-30T09:00:00.000Z' });

    const marked = await ask(NAME(), true);
    expect(marked.extensions!.lineage!.objections).toEqual([{ path: ['enterprise', 'name'], coordinate: 'Enterprise.name' }]);

    const byTax = await adminCall(platform, { token: 'jg-admin-tax' }, `mutation { answerObjection(id: "${objection.id}", decision: REJECTED, reason: "no") { status } }`);
    expect(byTax.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    const noReason = await adminCall(platform, { token: 'jg-admin-enterprise' }, `mutation { answerObjection(id: "${objection.id}", decision: REJECTED, reason: "") { status } }`);
    expect(noReason.errors?.[0]?.extensions?.code).toBe('REASON_REQUIRED');

    clock = new Date('2026-12-01T09:00:00Z');
    const report = await adminCall(platform, { token: 'jg-admin-operator' }, '{ qualityReport { overdueObjections { id } } }');
    expect((report.data!.qualityReport as { overdueObjections: { id: string }[] }).overdueObjections).toEqual([{ id: objection.id }]);

    platform.providers.find((p) => p.name === 'enterprise')!.db.prepare('UPDATE enterprise SET name = ? WHERE credit_code = ?').run('青禾市更正后名称有限公司', code);
    expect(((await ask(NAME())).data!.enterprise as { name: string }).name).not.toBe('青禾市更正后名称有限公司'); // still the cached copy
    const confirmed = await adminCall(platform, { token: 'jg-admin-enterprise' }, `mutation { answerObjection(id: "${objection.id}", decision: CONFIRMED, reason: "Register corrected", correctedValue: "青禾市更正后名称有限公司") { status answeredBy correctedValue } }`);
    expect(confirmed.data!.answerObjection).toEqual({ status: 'CONFIRMED', answeredBy: 'enterprise', correctedValue: '青禾市更正后名称有限公司' });

    const after = await ask(NAME(), true);
    expect((after.data!.enterprise as { name: string }).name).toBe('青禾市更正后名称有限公司');
    expect(after.extensions!.lineage!.objections).toEqual([]);
    const listed = await adminCall(platform, { apiKey: APPS.tax }, '{ objections { id status } }');
    expect(listed.data!.objections).toEqual([{ id: objection.id, status: 'CONFIRMED' }]);
  });

  it('are open to an app only for the records whose value it received (NOT_A_RECIPIENT for another record, or another app)', async () => {
    const [a, b] = ((await ask('{ enterprises(first: 2, offset: 30) { creditCode } }')).data!.enterprises as { creditCode: string }[]).map((e) => e.creditCode);
    await ask(`{ enterprise(creditCode: "${a}") { name } }`);

    expect((await objectToName(APPS.tax, a!)).errors).toBeUndefined();
    // B's key was received, and the name of another record, but never B's name.
    const otherRecord = await objectToName(APPS.tax, b!);
    expect(otherRecord.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_A_RECIPIENT', hint: expect.stringContaining("record's value") });
    const otherApp = await objectToName(APPS.assistance, a!);
    expect(otherApp.errors?.[0]?.extensions?.code).toBe('NOT_A_RECIPIENT');
  });
});
