// Who resolves a field is a joint decision: a provider publishing its own subgraph with another
// party's field in it (@override, @requires on it) waits PENDING for that field's owner and the
// operator, whatever the registry's approval setting, and no request reaches the new resolver
// meanwhile; a refusal leaves the served schema as it was; the original is put back without a stub.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withSpecDefinitions } from '../directives/index.ts';
import { EMPTY_OVERLAY } from '../supergraph/labels/index.ts';
import { createSchemaRegistry, openRegistryStore, type RegistryStore } from '../supergraph/registry/index.ts';
import { openPostgresDatabase, openSqliteDatabase } from '../supergraph/stores/index.ts';
import { adminCall, APPS, asApp, grant } from './support/authorization.ts';
import { queryProvider, sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';
import { POSTGRES_URL, postgresForTests } from './support/postgres.ts';

const TAX_SDL = readFileSync(new URL('../subgraphs/tax/schema.graphql', import.meta.url), 'utf8');
/** Tax's own subgraph, taking population's Person.name: the probe's publication. */
const TAX_TAKING_NAME = `${TAX_SDL.replace('"@requires"', '"@requires", "@override"')}
type Person @key(fields: "id") {
  id: ID!
  name: String! @override(from: "population")
}
`;
const PUBLISH = `mutation($n: String!, $u: String!, $s: String!) { publishSubgraph(name: $n, url: $u, sdl: $s) {
  version { subgraph version status decisions { party decision decidedBy reason } }
  ownershipChanges { coordinate change owners to apps grants } awaiting } }`;
const APPROVE = 'mutation($n: String!, $v: Int!) { approvePublication(subgraph: $n, version: $v) { version { version status } ownershipChanges { coordinate owners } awaiting } }';
const REFUSE = 'mutation($n: String!, $v: Int!, $r: String!) { refusePublication(subgraph: $n, version: $v, reason: $r) { version status decisions { party decision reason } } }';
const as = (party: string) => ({ token: `jg-admin-${party}` });

let platform: TestPlatform;
let taxUrl: string;
let personId: string;
const askName = () => asApp(platform, APPS.tax, 'tax-inspection/CASE-11')('query($id: ID!) { person(id: $id) { name } }', { id: personId });
/** What tax's provider was asked about persons: nothing while it does not resolve one of their fields. */
const personRequestsToTax = () => platform.log.dataRequests('tax').filter((r) => r.query.includes('Person'));
const publishTax = async (sdl: string) => {
  const result = await adminCall(platform, as('tax'), PUBLISH, { n: 'tax', u: taxUrl, s: sdl });
  expect(result.errors).toBeUndefined();
  return result.data!.publishSubgraph as { version: { version: number; status: string; decisions: unknown[] }; ownershipChanges: unknown[]; awaiting: string[] };
};

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
  taxUrl = platform.providers.find((p) => p.name === 'tax')!.url;
  const population = platform.providers.find((p) => p.name === 'population')!.url;
  personId = ((await queryProvider(population, '{ people(first: 1) { id } }')).data!.people as { id: string }[])[0]!.id;
  await grant(platform, APPS.tax, { coordinates: ['Person.name'], purpose: 'tax-inspection' });
}, 60_000);
afterAll(() => platform?.close());
beforeEach(() => platform.log.clear());

describe('a publication taking another party’s field', () => {
  it('waits PENDING for the field’s owner and the operator, naming the field, its owner and the apps using it, and serves nothing new', async () => {
    const before = platform.gateway.jointgraph.supergraphSdl;
    const name = (await askName()).data?.person;
    const pending = await publishTax(TAX_TAKING_NAME);
    expect(pending.version).toMatchObject({ status: 'PENDING', decisions: [] });
    expect(pending.ownershipChanges).toEqual([{ coordinate: 'Person.name', change: 'resolver', owners: ['population'], to: 'tax', apps: ['tax-inspection'], grants: [expect.any(String)] }]);
    expect(pending.awaiting).toEqual(['operator', 'population']);
    expect(platform.gateway.jointgraph.supergraphSdl).toBe(before);
    expect((await askName()).data?.person).toEqual(name);
    expect(personRequestsToTax()).toEqual([]);
  });

  it('is refused by its owner: REJECTED, with the reason, and the schema served before stays served', async () => {
    const before = platform.gateway.jointgraph.supergraphSdl;
    const { version } = await publishTax(TAX_TAKING_NAME);
    const refused = await adminCall(platform, as('population'), REFUSE, { n: 'tax', v: version.version, r: 'Names are the household register’s' });
    expect(refused.data?.refusePublication).toEqual({ version: version.version, status: 'REJECTED', decisions: [{ party: 'population', decision: 'REFUSED', reason: 'Names are the household register’s' }] });
    const late = await adminCall(platform, as('operator'), APPROVE, { n: 'tax', v: version.version });
    expect(late.errors?.[0]?.extensions?.code).toBe('VERSION_NOT_FOUND');
    expect(platform.gateway.jointgraph.supergraphSdl).toBe(before);
    expect((await askName()).data?.person).toEqual({ name: expect.any(String) });
    expect(personRequestsToTax()).toEqual([]);
  });

  it('lets only the owners and the operator decide, and a refusal must say why', async () => {
    const { version } = await publishTax(TAX_TAKING_NAME);
    const byOther = await adminCall(platform, as('enterprise'), APPROVE, { n: 'tax', v: version.version });
    expect(byOther.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_A_PARTY', deciders: ['operator', 'population'] });
    const byPublisher = await adminCall(platform, as('tax'), REFUSE, { n: 'tax', v: version.version, r: 'Changed my mind' });
    expect(byPublisher.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    const silent = await adminCall(platform, as('population'), REFUSE, { n: 'tax', v: version.version, r: ' ' });
    expect(silent.errors?.[0]?.extensions?.code).toBe('REASON_REQUIRED');
    const pendingFor = async (party: string) =>
      ((await adminCall(platform, as(party), '{ pendingPublications { version { subgraph version } awaiting } }')).data!.pendingPublications as { version: { version: number } }[]).map((p) => p.version.version);
    expect(await pendingFor('population')).toContain(version.version);
    expect(await pendingFor('enterprise')).toEqual([]);
    await adminCall(platform, as('operator'), REFUSE, { n: 'tax', v: version.version, r: 'Cleaning up' });
  });

  it('goes live once the owner and the operator approved it, and not before', async () => {
    const { version } = await publishTax(TAX_TAKING_NAME);
    const byOwner = await adminCall(platform, as('population'), APPROVE, { n: 'tax', v: version.version });
    expect(byOwner.data?.approvePublication).toEqual({ version: { version: version.version, status: 'PENDING' }, ownershipChanges: [{ coordinate: 'Person.name', owners: ['population'] }], awaiting: ['operator'] });
    await askName();
    expect(personRequestsToTax()).toEqual([]);

    const byOperator = await adminCall(platform, as('operator'), APPROVE, { n: 'tax', v: version.version });
    expect(byOperator.data?.approvePublication).toMatchObject({ version: { version: version.version, status: 'ACTIVE' }, awaiting: [] });
    await askName();
    expect(personRequestsToTax()).toHaveLength(1);
    expect(personRequestsToTax()[0]!.query).toContain('name');
  });

  it('is undone by the publisher putting its original subgraph back, though the field is in use, and cannot be rolled back to', async () => {
    const taken = (await adminCall(platform, as('operator'), '{ subgraphVersions(subgraph: "tax") { version status } }')).data!.subgraphVersions as { version: number; status: string }[];
    const takeover = taken.find((v) => v.status === 'ACTIVE')!.version;
    const restored = await publishTax(TAX_SDL);
    expect(restored).toMatchObject({ version: { status: 'ACTIVE' }, ownershipChanges: [], awaiting: [] });
    expect((await askName()).data?.person).toEqual({ name: expect.any(String) });
    expect(personRequestsToTax()).toEqual([]);

    const back = await adminCall(platform, as('operator'), 'mutation($v: Int!) { rollbackSubgraph(subgraph: "tax", version: $v) { version { status } } }', { v: takeover });
    expect(back.errors?.[0]?.extensions?.code).toBe('PUBLICATION_REFUSED');
    expect(back.errors?.[0]?.extensions?.refusal).toMatchObject({ reason: 'ownership', ownership: [{ coordinate: 'Person.name', owners: ['population'], apps: ['tax-inspection'] }] });
  });

  it('records each publication, decision and refusal on the decision trail, with the fields it would take', () => {
    const trail = platform.authorization!.audit.decisions.recent(100).reverse().filter((d) => d.subject.startsWith('tax@'));
    const pending = trail.find((d) => d.action === 'publish-subgraph' && d.decision === 'PENDING')!;
    expect(pending.coordinates).toContain('Person.name');
    expect(JSON.parse(pending.detail!)).toMatchObject({ ownershipChanges: [{ coordinate: 'Person.name', owners: ['population'], apps: ['tax-inspection'] }], awaiting: ['operator', 'population'] });
    expect(trail.map((d) => [d.action, d.who, d.decision])).toEqual(expect.arrayContaining([
      ['refuse-publication', 'population', 'REJECTED'],
      ['approve-publication', 'population', 'PENDING'],
      ['approve-publication', 'operator', 'ACTIVE'],
    ]));
    expect(trail.find((d) => d.action === 'refuse-publication' && d.who === 'population')!.reason).toBe('Names are the household register’s');
  });
});

// The same rules on both registry stores: the decisions are kept with the version, and a field of
// another party read through @requires is an ownership change too.
const postgresAvailable = await postgresForTests('test/ownership-changes.test.ts');
const SCHEMA = `jg_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const OWNER_SDL = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { person(id: ID!): Person }\ntype Person @key(fields: "id") { id: ID! income: Float }';
const READER_SDL = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])\ntype Query { rate: Float }\ntype Person @key(fields: "id") { id: ID! band: Int }';
const READER_REQUIRING = READER_SDL.replace('band: Int }', 'band: Int income: Float @external taxDue: Float @requires(fields: "income") }');

const stores: [string, boolean, () => Promise<{ store: RegistryStore; close(): Promise<void> }>][] = [
  ['SQLite', true, async () => {
    const database = await openSqliteDatabase({ file: ':memory:' });
    return { store: await openRegistryStore(database), close: () => database.close() };
  }],
  ['PostgreSQL', postgresAvailable, async () => {
    const database = await openPostgresDatabase({ url: POSTGRES_URL, schema: SCHEMA });
    return {
      store: await openRegistryStore(database),
      async close() {
        await database.close();
        const admin = new pg.Client({ connectionString: POSTGRES_URL });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(SCHEMA)} CASCADE`);
        await admin.end();
      },
    };
  }],
];

describe.each(stores)('ownership changes on the %s registry store', (_, available, open) => {
  let opened: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    if (available) opened = await open();
  });
  afterAll(() => opened?.close());

  it.runIf(available)('holds a field reading another party’s through @requires until its owner and the operator approved, keeping each decision', async () => {
    const served: string[] = [];
    const apply = async (sdl: string) => void served.push(sdl);
    const registry = createSchemaRegistry({
      store: opened.store,
      baseline: async () => [
        { name: 'owner', url: 'http://owner.test/graphql', sdl: withSpecDefinitions(OWNER_SDL) },
        { name: 'reader', url: 'http://reader.test/graphql', sdl: withSpecDefinitions(READER_SDL) },
      ],
      overlay: () => EMPTY_OVERLAY,
      usage: { recipients: async () => [{ appId: 'benefits', at: '2026-12-01T00:00:00.000Z' }], grantsCovering: () => [{ id: 'grant-1', appId: 'housing-check' }] },
      usageWindowDays: 90,
      requireOperatorApproval: false,
      now: () => new Date('2026-12-02T00:00:00.000Z'),
    });
    const input = { name: 'reader', url: 'http://reader.test/graphql', sdl: READER_REQUIRING };
    const published = await registry.publish(input, { party: 'reader', who: 'reader/ci' }, apply);
    expect(published.ok && published).toMatchObject({
      version: { status: 'PENDING' },
      ownership: [{ coordinate: 'Person.income', change: 'requires', owners: ['owner'], readBy: ['Person.taxDue'], apps: ['benefits', 'housing-check'], grants: ['grant-1'] }],
      awaiting: ['operator', 'owner'],
    });
    const version = published.ok ? published.version.version : 0;
    const byOperator = await registry.approve('reader', version, { party: 'operator', who: 'operator/alice' }, apply);
    expect(byOperator?.ok && byOperator.awaiting).toEqual(['owner']);
    expect(served).toEqual([]);
    const byOwner = await registry.approve('reader', version, { party: 'owner', who: 'owner/bob' }, apply);
    expect(byOwner?.ok && byOwner.version.status).toBe('ACTIVE');
    expect(served).toHaveLength(1);
    expect(served[0]).toContain('taxDue');
    expect(registry.decisions('reader', version).map((d) => [d.party, d.decision, d.decidedBy])).toEqual([['operator', 'APPROVED', 'operator/alice'], ['owner', 'APPROVED', 'owner/bob']]);
  });
});
