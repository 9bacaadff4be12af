// The schema registry: a provider publishes its subgraph and it is served from the next request
// on, without a restart; a breaking change to a field in use, a composition error or a label
// problem is refused and the served schema stays; rollbacks and a reloaded label overlay swap too.

import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSpecDefinitions } from '../directives/index.ts';
import { EMPTY_OVERLAY, parseLabelOverlay } from '../supergraph/labels/index.ts';
import { createSchemaRegistry, openRegistryStore } from '../supergraph/registry/index.ts';
import { openSqliteDatabase, StoreUnavailableError } from '../supergraph/stores/index.ts';
import { startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { adminCall, APPS, asApp } from './support/authorization.ts';
import { heldOffice, HOUSING_SCHEMA_FILE, HOUSING_WITH_HOURS, housingProvider, DOCUMENTED_HOUSING_SDL } from './support/housing.ts';
import { sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const run = promisify(execFile);
const OPERATOR = { token: 'jg-admin-operator' };

const V1 = DOCUMENTED_HOUSING_SDL;
const WITH_HOURS = HOUSING_WITH_HOURS;
const WITHOUT_PHONE = V1.replace('  phone: String!\n', '');
const slowOffice = heldOffice();
const housing = housingProvider(HOUSING_WITH_HOURS, slowOffice);

let platform: TestPlatform;
let provider: RunningProvider;
let endpoint: string;
let overlayFile: string;
const dir = tempDataDir();
const ask = (query: string) => asApp(platform, APPS.tax, 'tax-inspection/CASE-7')(query);
const publish = (sdl: string, token = OPERATOR.token) =>
  adminCall(platform, { token }, 'mutation($n: String!, $u: String!, $s: String!) { publishSubgraph(name: $n, url: $u, sdl: $s) { version { version status } diff { added removed } } }', { n: 'housing', u: provider.url, s: sdl });

beforeAll(async () => {
  overlayFile = join(dir, 'labels.json');
  copyFileSync(new URL('../supergraph/labels.json', import.meta.url), overlayFile);
  platform = await startTestPlatform({ authorization: sampleAuthorization({ labelOverlayFile: overlayFile }) });
  provider = await startProvider(housing, { host: '127.0.0.1', port: 0, dataDir: dir, city: SMALL_CITY });
  endpoint = `${await platform.gateway.listen({ host: '127.0.0.1', port: 0 })}/admin/graphql`;
});
afterAll(async () => {
  await platform?.close();
  await provider?.close();
});

describe('the schema registry', () => {
  it('prints in docs/provider.md the example housing provider’s schema as it is', () => {
    expect(DOCUMENTED_HOUSING_SDL).toBe(HOUSING_SCHEMA_FILE);
  });

  it('serves a subgraph published through the CLI from the next request, without a restart', async () => {
    expect((await ask('{ housingOffice(district: "xihu") { phone } }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const sdlFile = join(dir, 'housing.graphql');
    writeFileSync(sdlFile, V1);
    const { stdout } = await run(process.execPath, ['dist/cli/admin.js', 'publish', 'housing', '--url', provider.url, '--sdl-file', sdlFile, '--endpoint', endpoint, '--token', OPERATOR.token]);
    const published = JSON.parse(stdout).data.publishSubgraph;
    expect(published.version).toMatchObject({ subgraph: 'housing', version: 1, status: 'ACTIVE', publishedBy: 'operator' });
    expect(published.diff.added).toContain('HousingOffice.phone');
    expect((await ask('{ housingOffice(district: "xihu") { phone } }')).data).toEqual({ housingOffice: { phone: '0571-4000' } });
  }, 30_000);

  it('lets a provider publish only its own subgraph', async () => {
    const refused = await publish(V1, 'jg-admin-tax');
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('refuses a breaking change to a field the audit trail shows in use, naming the field and its users', async () => {
    await ask('{ housingOffice(district: "gongshu") { phone } }');
    let refused = await publish(WITHOUT_PHONE);
    for (let i = 0; i < 20 && refused.errors?.[0]?.extensions?.refusal === undefined; i++) refused = await publish(WITHOUT_PHONE);
    const error = refused.errors?.[0];
    expect(error?.extensions?.code).toBe('PUBLICATION_REFUSED');
    expect(error?.message).toContain('HousingOffice.phone');
    const refusal = error?.extensions?.refusal as { reason: string; breaking: { coordinate: string; users: { appId: string; lastUsed: string }[] }[] };
    expect(refusal.reason).toBe('breaking');
    expect(refusal.breaking[0]).toMatchObject({ coordinate: 'HousingOffice.phone', users: [{ appId: 'tax-inspection' }] });
    expect((await ask('{ housingOffice(district: "xihu") { phone } }')).data).toEqual({ housingOffice: { phone: '0571-4000' } });
  });

  it('leaves the served schema as it was when a publication does not compose', async () => {
    const before = platform.gateway.jointgraph.supergraphSdl;
    const refused = await publish(`${V1}\ntype HousingOffice { district: Int }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('PUBLICATION_REFUSED');
    expect((refused.errors?.[0]?.extensions?.refusal as { reason: string }).reason).toBe('composition');
    expect(platform.gateway.jointgraph.supergraphSdl).toBe(before);
    expect((await ask('{ housingOffice(district: "xihu") { phone } }')).data).toEqual({ housingOffice: { phone: '0571-4000' } });
  });

  it('keeps versions, diffs them and rolls back to an earlier one', async () => {
    const added = await publish(WITH_HOURS);
    expect(added.data?.publishSubgraph).toMatchObject({ version: { version: 2, status: 'ACTIVE' }, diff: { added: ['HousingOffice.hours'], removed: [] } });
    expect((await ask('{ housingOffice(district: "xihu") { hours } }')).data).toEqual({ housingOffice: { hours: '9-17' } });
    const diff = await adminCall(platform, OPERATOR, '{ subgraphDiff(subgraph: "housing", from: 1, to: 2) { added removed } }');
    expect(diff.data?.subgraphDiff).toEqual({ added: ['HousingOffice.hours'], removed: [] });
    const rolled = await adminCall(platform, OPERATOR, 'mutation { rollbackSubgraph(subgraph: "housing", version: 1) { version { version status } } }');
    expect(rolled.data?.rollbackSubgraph).toEqual({ version: { version: 1, status: 'ACTIVE' } });
    expect((await ask('{ housingOffice(district: "xihu") { hours } }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const versions = await adminCall(platform, OPERATOR, '{ subgraphVersions(subgraph: "housing") { version status } }');
    expect(versions.data?.subgraphVersions).toEqual([{ version: 1, status: 'ACTIVE' }, { version: 2, status: 'SUPERSEDED' }]);
    const notRoot = await adminCall(platform, { token: 'jg-admin-tax' }, 'mutation { rollbackSubgraph(subgraph: "housing", version: 2) { version { version } } }');
    expect(notRoot.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('records every publication, refusal and rollback on the decision trail, under who acted', async () => {
    const trail = platform.authorization!.audit.decisions.recent(50).reverse()
      .filter((d) => ['publish-subgraph', 'approve-publication', 'rollback-subgraph'].includes(d.action))
      .map((d) => [d.action, d.who, d.subject, d.decision, d.reason]);
    expect(trail).toContainEqual(['publish-subgraph', 'operator', 'housing@1', 'ACTIVE', null]);
    expect(trail).toContainEqual(['publish-subgraph', 'operator', 'housing', 'REFUSED', 'breaking']);
    expect(trail).toContainEqual(['publish-subgraph', 'operator', 'housing', 'REFUSED', 'composition']);
    expect(trail.at(-1)).toEqual(['rollback-subgraph', 'operator', 'housing@1', 'ACTIVE', null]);
    const published = platform.authorization!.audit.decisions.recent(50).find((d) => d.subject === 'housing@1' && d.action === 'publish-subgraph')!;
    expect(published.coordinates).toContain('HousingOffice.phone');
    expect(JSON.parse(published.detail!)).toMatchObject({ url: provider.url });
    expect(platform.authorization!.audit.verify().ok).toBe(true);
  });

  it('finishes a request in flight on the schema it started with', async () => {
    const slow = ask('{ housingOffice(district: "slow") { phone } }');
    await slowOffice.reached;
    const swapped = await publish(WITH_HOURS);
    expect((swapped.data?.publishSubgraph as { version: { status: string } }).version.status).toBe('ACTIVE');
    slowOffice.release();
    expect((await slow).data).toEqual({ housingOffice: { phone: '0571-4000' } });
  });

  it('applies a changed label overlay to the next request once the operator reloads it', async () => {
    const overlay = JSON.parse(readFileSync(overlayFile, 'utf8'));
    overlay.labels['HousingOffice.phone'] = { sharing: 'NOT_SHARED', grade: 'IMPORTANT', basis: 'Internal line of the bureau' };
    writeFileSync(overlayFile, JSON.stringify(overlay));
    const reloaded = await adminCall(platform, OPERATOR, 'mutation { reloadLabels { digest fields } }');
    expect((reloaded.data?.reloadLabels as { digest: string }).digest).toMatch(/^[0-9a-f]{64}$/);
    const answer = await ask('{ housingOffice(district: "xihu") { phone } }');
    expect(answer.data?.housingOffice ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const byTax = await adminCall(platform, { token: 'jg-admin-tax' }, 'mutation { reloadLabels { digest } }');
    expect(byTax.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('builds nothing when asked to serve the supergraph and overlay it serves already (a replica hearing of its own reload)', async () => {
    const state = platform.gateway.jointgraph;
    const served = state.catalog;
    const overlay = parseLabelOverlay(JSON.parse(readFileSync(overlayFile, 'utf8')), overlayFile);
    await state.swap(undefined, overlay);
    await state.swap(state.supergraphSdl);
    expect(state.catalog).toBe(served);
    overlay.fields.set('HousingOffice.phone', { ...overlay.fields.get('HousingOffice.phone')!, grade: 'CORE' });
    await state.swap(undefined, overlay);
    expect(state.catalog).not.toBe(served);
  });
});

const memoryRegistryStore = async () => openRegistryStore(await openSqliteDatabase({ file: ':memory:' }));

describe('publication under operator approval', () => {
  const TAX_V1 = 'type Query { rating(code: String!): String }';
  const open = async () => {
    const store = await memoryRegistryStore();
    const served: string[] = [];
    const registry = createSchemaRegistry({
      store,
      baseline: async () => [{ name: 'tax', url: 'http://tax.test/graphql', sdl: withSpecDefinitions(TAX_V1) }],
      overlay: () => EMPTY_OVERLAY,
      usage: { recipients: async () => [], grantsCovering: () => [] },
      usageWindowDays: 90,
      requireOperatorApproval: true,
    });
    return { registry, served, apply: async (sdl: string) => void served.push(sdl) };
  };

  it('holds a provider’s publication PENDING, serving nothing, until the operator approves it', async () => {
    const { registry, served, apply } = await open();
    const pending = await registry.publish({ name: 'tax', url: 'http://tax.test/graphql', sdl: TAX_V1.replace('}', ' arrears(code: String!): Float }') }, { party: 'tax', who: 'tax' }, apply);
    expect(pending.ok && pending.version.status).toBe('PENDING');
    expect(served).toEqual([]);
    const approved = await registry.approve('tax', 1, { party: 'operator', who: 'operator' }, apply);
    expect(approved?.ok && approved.version.status).toBe('ACTIVE');
    expect(served).toHaveLength(1);
    expect(served[0]).toContain('arrears');
    expect(await registry.approve('tax', 1, { party: 'operator', who: 'operator' }, apply)).toBeUndefined();
  });

  it('serves what it served before, and passes the store’s error on, when the store cannot record a version served for a moment', async () => {
    const store = await memoryRegistryStore();
    const lost = new StoreUnavailableError('PostgreSQL at postgres://127.0.0.1:5432/test cannot be reached (lost); the change was not made: retry once it answers.');
    const registry = createSchemaRegistry({
      store: { ...store, activate: async () => { throw lost; } },
      baseline: async () => [{ name: 'tax', url: 'http://tax.test/graphql', sdl: withSpecDefinitions(TAX_V1) }],
      overlay: () => EMPTY_OVERLAY,
      usage: { recipients: async () => [], grantsCovering: () => [] },
      usageWindowDays: 90,
      requireOperatorApproval: false,
    });
    const served: string[] = [];
    const apply = async (sdl: string) => void served.push(sdl);
    await expect(registry.publish({ name: 'tax', url: 'http://tax.test/graphql', sdl: TAX_V1.replace('}', ' arrears(code: String!): Float }') }, { party: 'operator', who: 'operator' }, apply)).rejects.toBe(lost);
    expect(served).toHaveLength(2);
    expect(served[0]).toContain('arrears');
    expect(served[1]).not.toContain('arrears');
    expect(served[1]).toContain('rating');
    expect(store.list('tax').map((v) => v.status)).toEqual(['PENDING']);
  });

  it('keeps the version REJECTED and serves nothing new when the gateway cannot build it', async () => {
    const { registry } = await open();
    const failed = await registry.publish({ name: 'tax', url: 'http://tax.test/graphql', sdl: TAX_V1 }, { party: 'operator', who: 'operator' }, async () => {
      throw new Error('no executor');
    });
    expect(failed.ok).toBe(false);
    expect(registry.versions('tax').map((v) => v.status)).toEqual(['REJECTED']);
  });
});
