import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_SPEC, withSpecDefinitions } from '../directives/index.ts';
import { composeSupergraph } from '../supergraph/compose/index.ts';
import { ConfigError } from '../supergraph/config/index.ts';
import { createGrantService, GrantError, openGrantStore, requiredParties } from '../supergraph/grants/index.ts';
import { openSqliteDatabase } from '../supergraph/stores/index.ts';
import type { Requester } from '../supergraph/identity/index.ts';
import { buildLabelCatalog, labelReport, parseLabelOverlay, readLabelOverlay, type LabelOverlay } from '../supergraph/labels/index.ts';
import { decide } from '../supergraph/policy/index.ts';
import { answer, APPS, applyFor, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const run = promisify(execFile);
const SAMPLE = readFileSync('supergraph/supergraph.graphql', 'utf8');
const SAMPLE_OVERLAY = JSON.parse(readFileSync('supergraph/labels.json', 'utf8')) as { labels: Record<string, Record<string, unknown>> };
const PRIORITY = 'Enterprise.inspectionPriority';

/** The sample overlay without the operator's acknowledgement of inspectionPriority's derivation. */
function unacknowledged(): { labels: Record<string, Record<string, unknown>> } {
  const { [PRIORITY]: _acknowledged, ...labels } = SAMPLE_OVERLAY.labels;
  return { labels };
}

// A tiny federation: scoring computes Item.score from registry's NOT_SHARED secret and from the
// district survey keeps for the item's owner; ranking computes Item.rank from the score.
const HEADER = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@composeDirective"])
  @link(url: "${LABEL_SPEC.url}", import: ["@label"])
  @composeDirective(name: "@label")`;
const SUBGRAPHS = {
  registry: `${HEADER}
type Query { item(id: ID!): Item @label(sharing: UNCONDITIONAL, grade: GENERAL) }
type Item @key(fields: "id") @label(sharing: UNCONDITIONAL, grade: GENERAL) {
  id: ID!
  owner: Person
  secret: Int @label(sharing: NOT_SHARED, grade: CORE, basis: "Internal supervision data")
}
type Person @key(fields: "id", resolvable: false) { id: ID! }`,
  survey: `${HEADER}
type Person @key(fields: "id") @label(sharing: CONDITIONAL, grade: IMPORTANT) { id: ID! district: String }`,
  scoring: `${HEADER}
type Item @key(fields: "id") {
  id: ID! @label(sharing: UNCONDITIONAL, grade: GENERAL)
  secret: Int @external
  owner: Person @external
  score: Int @requires(fields: "secret owner { district }") @label(sharing: CONDITIONAL, grade: IMPORTANT)
}
type Person @key(fields: "id") { id: ID! district: String @external }`,
  ranking: `${HEADER}
type Item @key(fields: "id") {
  id: ID! @label(sharing: UNCONDITIONAL, grade: GENERAL)
  score: Int @external
  rank: Int @requires(fields: "score") @label(sharing: CONDITIONAL, grade: IMPORTANT)
}`,
};

function tinySupergraph(): string {
  const result = composeSupergraph(Object.entries(SUBGRAPHS).map(([name, sdl]) => ({ name, url: `http://${name}/graphql`, sdl: withSpecDefinitions(sdl) })));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.supergraphSdl;
}

const TAX_APP: Requester = { appId: 'tax-inspection', name: 'Tax inspection', department: 'Taxation Bureau', roles: [], district: null };

async function grantService(supergraph: string, overlay: LabelOverlay, file = join(tempDataDir(), 'control-plane.db')) {
  const catalog = buildLabelCatalog(supergraph, overlay);
  const store = await openGrantStore(await openSqliteDatabase({ file }));
  return { catalog, file, grants: createGrantService({ store, catalog, replyWorkingDays: 5 }) };
}

async function approveAll(service: Awaited<ReturnType<typeof grantService>>['grants'], id: string): Promise<void> {
  for (const { party } of service.get(id)!.parties) await service.answer(id, party, 'APPROVED');
}

describe('ownership', () => {
  it('follows resolution: a subgraph that only declares a field @external does not own it', () => {
    expect(buildLabelCatalog(SAMPLE).fields.get('Enterprise.riskClass')!.owners).toEqual(['enterprise']);
    const tiny = buildLabelCatalog(tinySupergraph());
    expect(tiny.fields.get('Item.secret')!.owners).toEqual(['registry']);
    expect(tiny.fields.get('Person.district')!.owners).toEqual(['survey']);
    expect(tiny.fields.get('Item.score')!.owners).toEqual(['scoring']);
  });
});

describe('derivation through @requires', () => {
  it('records what a field derives from, nested selections and transitive requires included', () => {
    const catalog = buildLabelCatalog(tinySupergraph());
    expect(catalog.fields.get('Item.score')!.derivedFrom).toEqual(['Item.owner', 'Item.secret', 'Person.district']);
    expect(catalog.fields.get('Item.rank')!.derivedFrom).toEqual(['Item.owner', 'Item.score', 'Item.secret', 'Person.district']);
    expect(catalog.fields.get('Item.owner')!.derivedFrom).toEqual([]);
    expect(buildLabelCatalog(SAMPLE).fields.get(PRIORITY)!.derivedFrom).toEqual(['Enterprise.riskClass']);
  });

  it('makes the owners of every source a party to a grant, transitively', () => {
    const catalog = buildLabelCatalog(tinySupergraph());
    expect(requiredParties(catalog, ['Item.rank'])).toEqual(['operator', 'ranking', 'registry', 'scoring', 'survey']);
    expect(requiredParties(buildLabelCatalog(SAMPLE), [PRIORITY])).toEqual(['operator', 'enterprise', 'tax']);
  });
});

describe('a shared field derived from a NOT_SHARED one', () => {
  it('is closed and reported until the operator acknowledges the derivation', async () => {
    const catalog = buildLabelCatalog(tinySupergraph());
    for (const coordinate of ['Item.score', 'Item.rank']) {
      expect(catalog.fields.get(coordinate)!.label.sharing, coordinate).toBe('NOT_SHARED');
      expect(catalog.fields.get(coordinate)!.notSharedSources).toMatchObject({ from: ['Item.secret'], assigned: { sharing: 'CONDITIONAL' } });
    }
    expect(labelReport(catalog).derivedFromNotShared).toEqual([
      { coordinate: 'Item.score', from: ['Item.secret'] },
      { coordinate: 'Item.rank', from: ['Item.secret'] },
    ]);
    expect(labelReport(catalog).conflicts).toEqual([]);

    const sample = buildLabelCatalog(SAMPLE, parseLabelOverlay(unacknowledged()));
    const priority = sample.fields.get(PRIORITY)!;
    expect(priority.label.sharing).toBe('NOT_SHARED');
    expect(labelReport(sample).derivedFromNotShared).toEqual([{ coordinate: PRIORITY, from: ['Enterprise.riskClass'] }]);
    const subject = { requester: TAX_APP, purpose: 'tax-inspection', grants: [] };
    expect(decide(subject, priority)).toMatchObject({ allowed: false, reason: 'NOT_SHARED' });
    const { grants } = await grantService(SAMPLE, parseLabelOverlay(unacknowledged()));
    await expect(grants.apply(TAX_APP, { coordinates: [PRIORITY], purpose: 'tax-inspection', basis: 'Audit', expiresAt: '2099-01-01' })).rejects.toThrow(GrantError);
  });

  it('stays closed when the acknowledgement does not name every NOT_SHARED source, and is shared when it does', () => {
    const otherSource = parseLabelOverlay({
      labels: { 'Item.score': { sharing: 'CONDITIONAL', grade: 'IMPORTANT', derivationAcknowledged: { from: ['Item.owner'], basis: 'Agreed' } } },
    });
    expect(buildLabelCatalog(tinySupergraph(), otherSource).fields.get('Item.score')!.label.sharing).toBe('NOT_SHARED');
    const acknowledged = parseLabelOverlay({
      labels: { 'Item.score': { sharing: 'CONDITIONAL', grade: 'IMPORTANT', derivationAcknowledged: { from: ['Item.secret'], basis: 'Agreed with the registry' } } },
    });
    const catalog = buildLabelCatalog(tinySupergraph(), acknowledged);
    expect(catalog.fields.get('Item.score')!.label).toMatchObject({ sharing: 'CONDITIONAL', grade: 'IMPORTANT' });
    expect(catalog.fields.get('Item.rank')!.label.sharing).toBe('NOT_SHARED'); // each field needs its own acknowledgement
    expect(labelReport(catalog).acknowledgedDerivations).toEqual([{ coordinate: 'Item.score', from: ['Item.secret'], basis: 'Agreed with the registry' }]);
  });

  it('is acknowledged only on one field, with its sources and a basis', () => {
    const entry = (derivationAcknowledged: unknown) => ({ sharing: 'CONDITIONAL', grade: 'IMPORTANT', derivationAcknowledged });
    expect(() => parseLabelOverlay({ labels: { 'Item.*': entry({ from: ['Item.secret'], basis: 'Agreed' }) } })).toThrow(/one field/);
    expect(() => parseLabelOverlay({ labels: { 'Item.score': entry({ from: ['Item.secret'] }) } })).toThrow(ConfigError);
    expect(() => parseLabelOverlay({ labels: { 'Item.score': entry({ basis: 'Agreed' }) } })).toThrow(ConfigError);
    expect(() => parseLabelOverlay({ labels: { 'Item.score': entry({ from: ['secret'], basis: 'Agreed' }) } })).toThrow(ConfigError);
  });

  it('is reported by npm run compose, which still writes the supergraph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jointgraph-derivation-'));
    writeFileSync(join(dir, 'labels.json'), JSON.stringify(unacknowledged()));
    const out = join(dir, 'supergraph.graphql');
    const { stdout, stderr } = await run(process.execPath, ['dist/cli/compose.js', '--list', 'supergraph/subgraphs.json', '--labels', join(dir, 'labels.json'), '--out', out]);
    expect(stderr).toContain(`[DERIVED_FROM_NOT_SHARED] ${PRIORITY} derives from NOT_SHARED Enterprise.riskClass`);
    expect(stdout).toContain('Derived from NOT_SHARED: 1 closed, 0 acknowledged');
    expect(readFileSync(out, 'utf8')).toContain('inspectionPriority');
  });
});

describe('a grant for a derived field', () => {
  it('filed before the field gained a source, no longer covers it', async () => {
    const overlay = readLabelOverlay('supergraph/labels.json');
    const before = await grantService(SAMPLE.replace('@join__field(graph: TAX, requires: "riskClass")', '@join__field(graph: TAX)'), overlay);
    const filed = await before.grants.apply(TAX_APP, { coordinates: [PRIORITY, 'Enterprise.taxArrears'], purpose: 'tax-inspection', basis: 'Audit', expiresAt: '2099-01-01' });
    expect(filed.parties.map((p) => p.party)).toEqual(['operator', 'tax']);
    await approveAll(before.grants, filed.id);
    expect(before.grants.active(TAX_APP.appId)[0]!.coordinates).toEqual([PRIORITY, 'Enterprise.taxArrears']);

    const after = await grantService(SAMPLE, overlay, before.file);
    expect(after.grants.active(TAX_APP.appId).map((g) => g.coordinates)).toEqual([['Enterprise.taxArrears']]);
  });

  describe('on the sample platform, acknowledged in the sample overlay', () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await startTestPlatform({ authorization: sampleAuthorization() });
    });
    afterAll(() => platform.close());

    it('needs the operator, tax and enterprise: tax and the operator alone grant nothing', async () => {
      const ask = () => asApp(platform, APPS.tax, 'tax-inspection')('{ enterprises(first: 1) { inspectionPriority } }');
      const application = await applyFor(platform, APPS.tax, { coordinates: [PRIORITY], purpose: 'tax-inspection' });
      expect(application.parties.map((p) => p.party)).toEqual(['operator', 'enterprise', 'tax']);

      await answer(platform, 'tax', application.id, 'approve');
      const last = await answer(platform, 'operator', application.id, 'approve');
      expect(last.data).toMatchObject({ approve: { status: 'PENDING' } });
      expect((await ask()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', coordinate: PRIORITY, reason: 'NO_GRANT' });

      const approved = await answer(platform, 'enterprise', application.id, 'approve');
      expect(approved.data).toMatchObject({ approve: { status: 'ACTIVE' } });
      const granted = await ask();
      expect(granted.errors).toBeUndefined();
      expect((granted.data!.enterprises as { inspectionPriority: string }[])[0]!.inspectionPriority).toMatch(/ROUTINE|ELEVATED|URGENT/);
    });
  });
});
