// A data demand's whole life through the admin endpoint, on SQLite and on PostgreSQL: an app files
// it, the operator routes it, the department commits, publishes the fields and fulfils it, and the
// app's grant application exists, prefilled; each step on the decision trail, with lead times. The
// careless and the hostile are refused with coded errors: an app routing its own demand, a
// department answering for another, a fulfilment with a version that lacks the fields.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { adminCall, APPS } from './support/authorization.ts';
import { DOCUMENTED_HOUSING_SDL, HOUSING_WITH_HOURS, housingProvider } from './support/housing.ts';
import { sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';
import { postgresForTests, POSTGRES_URL } from './support/postgres.ts';

const postgresAvailable = await postgresForTests('test/data-demands.test.ts');
const schemas: string[] = [];
afterAll(async () => {
  if (!postgresAvailable || schemas.length === 0) return;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

const OPERATOR = { token: 'jg-admin-operator' };
const TAX = { token: 'jg-admin-tax' };
const APP = { apiKey: APPS.tax };
const DEMAND = 'id status coordinates routeDeadline answerDeadline departments { party decision commitDate answeredBy } subgraph subgraphVersion applicationId leadTimes { toRouteHours toCommitHours toFulfilHours totalHours }';
/** The published version that meets the demand: opening hours, shared only under a grant. */
const WITH_CONDITIONAL_HOURS = HOUSING_WITH_HOURS.replace('hours: String', 'hours: String @label(sharing: CONDITIONAL, grade: GENERAL, category: "housing.office")');
const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

type Call = ReturnType<typeof caller>;
function caller(platform: TestPlatform) {
  return async (credentials: { token?: string; apiKey?: string }, query: string, variables?: Record<string, unknown>) => {
    const result = await adminCall(platform, credentials, query, variables);
    return { data: result.data as Record<string, Record<string, unknown>> | null | undefined, code: result.errors?.[0]?.extensions?.code, errors: result.errors };
  };
}

async function publishHousing(call: Call, url: string, sdl: string) {
  const published = await call(OPERATOR, 'mutation($u: String!, $s: String!) { publishSubgraph(name: "housing", url: $u, sdl: $s) { version { version status } } }', { u: url, s: sdl });
  expect(published.errors).toBeUndefined();
  return published.data!.publishSubgraph!.version as { version: number; status: string };
}

async function housingToken(call: Call): Promise<string> {
  const input = { party: 'housing', id: 'li.na', name: '李娜', kind: 'person', roles: ['approver', 'publisher'] };
  const created = await call(OPERATOR, 'mutation($input: PrincipalInput!) { createPrincipal(input: $input) { token } }', { input });
  expect(created.errors).toBeUndefined();
  return created.data!.createPrincipal!.token as string;
}

/** File → route → commit → fulfil, with each careless or hostile step refused on the way. */
async function wholeLife(platform: TestPlatform, provider: RunningProvider) {
  const call = caller(platform);
  const v1 = await publishHousing(call, provider.url, DOCUMENTED_HOUSING_SDL);
  const HOUSING = { token: await housingToken(call) };
  const input = { title: 'Opening hours of the housing offices', description: 'Inspectors visit offices during opening hours.', purpose: 'tax-inspection/CASE-7', basis: 'Tax Collection Administration Law, art. 54', coordinates: ['HousingOffice.hours'], neededBy: later(30) };
  const filed = await call(APP, `mutation($input: DemandInput!) { fileDemand(input: $input) { ${DEMAND} } }`, { input });
  expect(filed.errors).toBeUndefined();
  const id = filed.data!.fileDemand!.id as string;
  expect(filed.data!.fileDemand).toMatchObject({ status: 'FILED', coordinates: ['HousingOffice.hours'], departments: [] });

  const route = (credentials: object) => call(credentials, `mutation($id: ID!) { routeDemand(id: $id, departments: ["housing"]) { ${DEMAND} } }`, { id });
  expect((await route(APP)).code).toBe('NOT_A_PARTY');
  expect((await route(TAX)).code).toBe('NOT_A_PARTY');
  expect((await call(OPERATOR, 'mutation($id: ID!) { routeDemand(id: $id, departments: ["no-such-department"]) { id } }', { id })).code).toBe('DEMAND_INVALID');
  const routed = await route(OPERATOR);
  expect(routed.data?.routeDemand).toMatchObject({ status: 'ROUTED', departments: [{ party: 'housing', decision: 'PENDING' }] });
  expect((await route(OPERATOR)).code).toBe('DEMAND_NOT_OPEN');

  const commit = (credentials: object) => call(credentials, `mutation($id: ID!, $d: String!) { commitDemand(id: $id, commitDate: $d) { ${DEMAND} } }`, { id, d: later(10) });
  expect((await commit(TAX)).code).toBe('NOT_A_PARTY');
  const committed = await commit(HOUSING);
  expect(committed.data?.commitDemand).toMatchObject({ status: 'COMMITTED', departments: [{ party: 'housing', decision: 'COMMITTED', answeredBy: 'housing/li.na' }] });

  const fulfil = (version: number) => call(HOUSING, `mutation($id: ID!, $v: Int!) { fulfilDemand(id: $id, subgraph: "housing", version: $v) { ${DEMAND} } }`, { id, v: version });
  const lacking = await fulfil(v1.version);
  expect(lacking.code).toBe('FULFILMENT_MISMATCH');
  expect(lacking.errors?.[0]?.extensions?.missing).toEqual(['HousingOffice.hours']);
  const v2 = await publishHousing(call, provider.url, WITH_CONDITIONAL_HOURS);
  expect(v2).toEqual({ version: v1.version + 1, status: 'ACTIVE' });
  const fulfilled = await fulfil(v2.version);
  expect(fulfilled.errors).toBeUndefined();
  const demand = fulfilled.data!.fulfilDemand!;
  expect(demand).toMatchObject({ status: 'FULFILLED', subgraph: 'housing', subgraphVersion: v2.version });
  for (const hours of Object.values(demand.leadTimes as Record<string, number>)) expect(hours).toBeGreaterThanOrEqual(0);

  // The prefilled application waits for the owner and the operator, as any other.
  const application = await call(APP, 'query($id: ID!) { application(id: $id) { appId purpose coordinates status basis parties { party decision } } }', { id: demand.applicationId });
  expect(application.data?.application).toMatchObject({
    appId: 'tax-inspection', purpose: 'tax-inspection/CASE-7', coordinates: ['HousingOffice.hours'], status: 'PENDING',
  });
  expect(application.data?.application?.parties).toEqual(expect.arrayContaining([{ party: 'housing', decision: 'PENDING' }, { party: 'operator', decision: 'PENDING' }]));
  expect(application.data?.application?.basis).toContain(id);

  const trail = (await platform.authorization!.access.decisions.recent(50)).filter((d) => d.subject === id).map((d) => [d.action, d.who, d.decision]).reverse();
  expect(trail).toEqual([
    ['file-demand', 'tax-inspection', null], ['route-demand', 'operator', 'ROUTED'], ['commit-demand', 'housing/li.na', 'COMMITTED'], ['fulfil-demand', 'housing/li.na', 'FULFILLED'],
  ]);
  const inbox = await call(APP, '{ inbox { kind subject } }');
  expect(inbox.data?.inbox).toEqual(expect.arrayContaining([{ kind: 'demand-fulfilled', subject: id }, { kind: 'demand-committed', subject: id }]));
  const seen = await call(TAX, '{ demands { id } }');
  expect(seen.data?.demands).toEqual([]);
  // The prefilled application tells its parties, as any application does; each reads its own inbox.
  const housingInbox = (await call(HOUSING, '{ inbox(unreadOnly: true) { key kind subject } }')).data?.inbox as unknown as { key: string; kind: string; subject: string }[];
  expect(housingInbox.map((n) => [n.kind, n.subject])).toEqual(expect.arrayContaining([['application-filed', demand.applicationId], ['demand-routed', id]]));
  const filedNotice = housingInbox.find((n) => n.kind === 'application-filed')!;
  expect((await call(TAX, 'mutation($k: String!) { markNoticeRead(key: $k) { key } }', { k: filedNotice.key })).code).toBe('NOTIFICATION_NOT_FOUND');
  expect((await call(HOUSING, 'mutation($k: String!) { markNoticeRead(key: $k) { readAt } }', { k: filedNotice.key })).data?.markNoticeRead?.readAt).toBeTruthy();
  expect(((await call(HOUSING, '{ inbox(unreadOnly: true) { key } }')).data?.inbox as unknown as unknown[]).length).toBe(housingInbox.length - 1);
  expect((await call(TAX, '{ deliveries { id } }')).code).toBe('NOT_A_PARTY');
  expect((await call(OPERATOR, '{ deliveries { id } }')).data?.deliveries).toEqual([]);
}

describe.each([
  ['SQLite', true],
  ['PostgreSQL', postgresAvailable],
] as const)('a data demand on %s', (dialect, available) => {
  it.runIf(available)('goes from filing to a prefilled grant application, refusing whoever may not act', async () => {
    const schema = `jg_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    if (dialect === 'PostgreSQL') schemas.push(schema);
    const dir = tempDataDir();
    const provider = await startProvider(housingProvider(), { host: '127.0.0.1', port: 0, dataDir: dir, city: SMALL_CITY });
    const platform = await startTestPlatform({ authorization: sampleAuthorization(dialect === 'PostgreSQL' ? { postgres: { url: POSTGRES_URL, schema } } : {}) });
    try {
      await wholeLife(platform, provider);
    } finally {
      await platform.close();
      await provider.close();
    }
  }, 90_000);
});
