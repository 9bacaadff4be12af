import { parse, visit } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCachePolicy } from '../supergraph/cache/index.ts';
import { adminCall, APPS, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

// The tax inspection app holds no grants here: Person.id (CONDITIONAL) is denied to it, while
// Enterprise.name, Enterprise.creditCode and Person.district are UNCONDITIONAL. Enterprise.riskClass
// is NOT_SHARED, resolved by enterprise and only declared @external by tax.
let clock = new Date('2026-11-23T09:00:00Z');
let platform: TestPlatform;
let code: string;
const taxApp = () => asApp(platform, APPS.tax, 'tax-inspection/CASE-7');
const assistanceApp = () => asApp(platform, APPS.assistance, 'social-assistance/CASE-8');

beforeAll(async () => {
  platform = await startTestPlatform({
    authorization: sampleAuthorization({ now: () => clock }),
    gateway: { cachePolicy: parseCachePolicy({ coordinates: { 'Enterprise.*': { ttlSeconds: 600 }, 'Query.enterprises': { ttlSeconds: 600 } } }) },
  });
  code = ((await taxApp()('{ enterprises(first: 1, offset: 11) { creditCode } }')).data!.enterprises as { creditCode: string }[])[0]!.creditCode;
});
afterAll(() => platform.close());
beforeEach(() => platform.log.clear());

async function withLineage(apiKey: string, query: string) {
  const response = await platform.gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-jointgraph-purpose': 'case-work/CASE-9', 'x-jointgraph-lineage': 'true' },
    payload: { query },
  });
  return response.json() as { data?: Record<string, unknown>; extensions?: { lineage?: { objections: unknown[]; keysWithheld?: string[] } } };
}

/** `alias:field` of every field the gateway added for itself (a `_jg_` alias), over all provider requests. */
function internalFieldsAsked(): Set<string> {
  const asked = new Set<string>();
  for (const entry of platform.log.dataRequests()) {
    visit(parse(entry.query), { Field: (node) => void (node.alias?.value.startsWith('_jg_') && asked.add(`${node.alias.value}:${node.name.value}`)) });
  }
  return asked;
}

const objectTo = (apiKey: string, coordinate: string, key: string) =>
  adminCall(platform, { apiKey }, `mutation { fileObjection(input: { coordinate: "${coordinate}", key: "${key}", observedValue: "x", comment: "Looks wrong" }) { id } }`);

describe('lineage adds nothing the requester may not receive', () => {
  it('never asks a provider for an entity key the requester is denied, and says the key was withheld', async () => {
    const result = await withLineage(APPS.tax, `{ enterprise(creditCode: "${code}") { name legalRepresentative { district } } }`);
    expect((result.data!.enterprise as { legalRepresentative: { district: string } }).legalRepresentative.district).toEqual(expect.any(String));
    const internal = internalFieldsAsked();
    expect(internal).toContain('_jg_key_creditCode:creditCode');
    expect(internal).not.toContain('_jg_key_id:id');
    expect(result.extensions!.lineage!.keysWithheld).toEqual(['Person']);
  });
});

describe('objections', () => {
  it('are refused to an app that never received the field (NOT_A_RECIPIENT)', async () => {
    const refused = await objectTo(APPS.assistance, 'Enterprise.status', code);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_A_RECIPIENT', hint: expect.any(String) });
    await assistanceApp()(`{ enterprise(creditCode: "${code}") { status } }`);
    expect((await objectTo(APPS.assistance, 'Enterprise.status', code)).errors).toBeUndefined();
  });

  it('are seen only by their filer, the owning provider and the operator; lineage shows other apps a bare flag', async () => {
    await taxApp()(`{ enterprise(creditCode: "${code}") { name } }`);
    const filed = await objectTo(APPS.tax, 'Enterprise.name', code);
    const id = (filed.data!.fileObjection as { id: string }).id;
    clock = new Date('2026-12-10T09:00:00Z'); // past the reply deadline: overdue
    const listed = async (credentials: { token?: string; apiKey?: string }) =>
      ((await adminCall(platform, credentials, '{ objections { id } }')).data!.objections as { id: string }[]).map((o) => o.id);
    const overdue = async (token: string) =>
      ((await adminCall(platform, { token }, '{ qualityReport { overdueObjections { id } } }')).data!.qualityReport as { overdueObjections: { id: string }[] }).overdueObjections.map((o) => o.id);

    expect(await listed({ apiKey: APPS.tax })).toContain(id);
    expect(await listed({ token: 'jg-admin-enterprise' })).toContain(id);
    expect(await listed({ token: 'jg-admin-operator' })).toContain(id);
    expect(await listed({ apiKey: APPS.assistance })).not.toContain(id);
    expect(await listed({ token: 'jg-admin-tax' })).not.toContain(id);
    expect(await overdue('jg-admin-enterprise')).toContain(id);
    expect(await overdue('jg-admin-operator')).toContain(id);
    expect(await overdue('jg-admin-tax')).not.toContain(id);

    const marked = await withLineage(APPS.assistance, `{ enterprise(creditCode: "${code}") { name } }`);
    expect(marked.extensions!.lineage!.objections).toEqual([{ path: ['enterprise', 'name'], coordinate: 'Enterprise.name' }]);
    expect(JSON.stringify(marked)).not.toContain(id);
  });
});

describe('the labels query', () => {
  const labels = async (credentials: { token?: string; apiKey?: string }) =>
    (await adminCall(platform, credentials, '{ labels { coordinate sharing basis } }')).data!.labels as { coordinate: string; sharing: string; basis: string | null }[];
  const coordinates = (list: { coordinate: string }[]) => list.map((l) => l.coordinate);

  it('shows an app the contract: no NOT_SHARED field, nor its basis', async () => {
    const seen = await labels({ apiKey: APPS.tax });
    expect(seen.some((l) => l.sharing === 'NOT_SHARED')).toBe(false);
    expect(coordinates(seen)).not.toContain('Person.ethnicity');
    expect(JSON.stringify(seen)).not.toContain('PIPL Art. 28');
    expect(coordinates(seen)).toContain('Enterprise.name');
  });

  it('shows a provider its own fields in full and the contract of others; the operator everything', async () => {
    const enterprise = coordinates(await labels({ token: 'jg-admin-enterprise' }));
    expect(enterprise).toContain('Enterprise.riskClass');
    expect(enterprise).not.toContain('Person.ethnicity');
    expect(coordinates(await labels({ token: 'jg-admin-tax' }))).not.toContain('Enterprise.riskClass'); // only @external in tax
    expect(coordinates(await labels({ token: 'jg-admin-operator' }))).toEqual(expect.arrayContaining(['Enterprise.riskClass', 'Person.ethnicity']));
  });
});

describe('a provider that only declares a field @external does not own it', () => {
  it('may not read its recipients nor purge it', async () => {
    const recipients = (token: string) => adminCall(platform, { token }, '{ recipients(coordinate: "Enterprise.riskClass") { appId } }');
    expect((await recipients('jg-admin-tax')).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    expect((await recipients('jg-admin-enterprise')).errors).toBeUndefined();
    const purge = await adminCall(platform, { token: 'jg-admin-tax' }, 'mutation { purgeCache(coordinate: "Enterprise.riskClass") { removed } }');
    expect(purge.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });
});

describe('a provider purging a type', () => {
  it("drops only the cached entries holding its own fields, never another provider's", async () => {
    const query = '{ enterprises(first: 3, offset: 400) { name taxCreditRating } }';
    await taxApp()(query);
    const purged = await adminCall(platform, { token: 'jg-admin-tax' }, 'mutation { purgeCache(type: "Enterprise") { removed } }');
    expect(purged.data!.purgeCache).toEqual({ removed: 3 });
    platform.log.clear();
    await taxApp()(query);
    expect(platform.log.dataRequests().map((e) => e.provider)).toEqual(['tax']);
    const notTheirs = await adminCall(platform, { token: 'jg-admin-population' }, 'mutation { purgeCache(type: "Enterprise") { removed } }');
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });
});

describe('/metrics and /health', () => {
  const get = (url: string, token?: string) => platform.gateway.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('serve /metrics to the operator only', async () => {
    const anonymous = await get('/metrics');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().errors[0].extensions.code).toBe('ADMIN_UNAUTHENTICATED');
    expect(anonymous.body).not.toContain('jointgraph_');
    const provider = await get('/metrics', 'jg-admin-tax');
    expect(provider.statusCode).toBe(403);
    expect(provider.json().errors[0].extensions.code).toBe('OPERATOR_ONLY');
    const operator = await get('/metrics', 'jg-admin-operator');
    expect(operator.statusCode).toBe(200);
    expect(operator.body).toContain('jointgraph_subgraph_up');
  });

  it('answer an unauthenticated /health with the status alone, and the operator with every provider', async () => {
    const anonymous = await get('/health');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ status: 'ok' });
    expect(anonymous.body).not.toContain('http');
    const operator = (await get('/health', 'jg-admin-operator')).json();
    expect(operator.subgraphs).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tax', url: expect.stringContaining('http'), reachable: true })]));
  });
});
