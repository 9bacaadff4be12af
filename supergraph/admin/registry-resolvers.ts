// The schema registry on the admin endpoint: providers publish their own subgraph, the operator
// any; the operator, and the owners of fields a version would take, approve or refuse pending
// versions; the operator rolls back and reloads the label overlay. Every change is served through
// the gateway's swap, from the next request on.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DecisionTrail } from '../audit/index.ts';
import { buildLabelCatalog, labelReport, parseLabelOverlay, type LabelOverlay, type LabelReport, type SharedOverlay } from '../labels/index.ts';
import type { Publication, SchemaRegistry, SubgraphVersion } from '../registry/index.ts';
import { acting, fail, guarded, type AdminContext } from './acting.ts';
import type { GatewayState } from './gateway-state.ts';

export interface RegistryDeps {
  schemaRegistry?: SchemaRegistry;
  labelOverlayFile?: string;
  /** With replicas on PostgreSQL: the overlay every replica serves, which a reload replaces. */
  sharedOverlay?: SharedOverlay;
  decisions: DecisionTrail;
  gateway: GatewayState;
}

const labelSummary = (labels: LabelReport) => ({
  unlabeled: labels.unlabeled,
  labelConflicts: labels.conflicts.map((c) => c.coordinate),
  derivedFromNotShared: labels.derivedFromNotShared.map((d) => d.coordinate),
});

type RegistryAction = 'publish-subgraph' | 'approve-publication' | 'refuse-publication' | 'rollback-subgraph';

/** The decision trail's record of a publication, an approval, a refusal or a rollback: accepted (the version and its status) or refused (why). */
function publicationDecision(action: RegistryAction, who: string, subgraph: string, publication: Publication | undefined, asked?: number) {
  const at = new Date().toISOString();
  if (publication?.ok) {
    const { version: v, diff, ownership, awaiting } = publication;
    const taken = ownership.map((c) => ({ coordinate: c.coordinate, change: c.change, owners: c.owners, apps: c.apps }));
    return {
      at, who, action, subject: `${subgraph}@${v.version}`, coordinates: [...new Set([...diff.added, ...diff.removed, ...diff.changed.map((c) => c.coordinate), ...ownership.map((c) => c.coordinate)])],
      decision: v.status, reason: null,
      detail: JSON.stringify({ url: v.url, sdlSha256: createHash('sha256').update(v.sdl).digest('hex'), ...(taken.length > 0 ? { ownershipChanges: taken, awaiting } : {}) }),
    };
  }
  const reason = publication ? publication.refusal.reason : 'version-not-found';
  return { at, who, action, subject: asked === undefined ? subgraph : `${subgraph}@${asked}`, coordinates: [], decision: 'REFUSED', reason, detail: null };
}

/** The answer to a registry action, or its coded error: refused, not found in a state it applies to, or asked of a party that does not decide. */
function answered<T extends { ok: true }>(result: T | Exclude<Publication, { ok: true }> | undefined, subgraph: string, version?: number): T {
  if (!result) fail('VERSION_NOT_FOUND', `Subgraph "${subgraph}" has no version ${version} in a state this action applies to.`);
  if (!result.ok) {
    const { refusal } = result;
    if (refusal.reason === 'not-a-party') fail('NOT_A_PARTY', refusal.message, { deciders: refusal.deciders });
    fail('PUBLICATION_REFUSED', refusal.message, { refusal });
  }
  return result;
}

/** A publisher acting on its own subgraph, or the operator's publisher on any. */
function ownSubgraph(ctx: AdminContext, subgraph: string) {
  const acted = acting(ctx, 'publisher');
  if (acted.party !== 'operator' && acted.party !== subgraph) fail('NOT_A_PARTY', `${acted.party} publishes only its own subgraph ("${acted.party}"), not "${subgraph}".`);
  return acted;
}

const operator = (ctx: AdminContext, ...roles: Parameters<typeof acting>[1][]) => {
  const acted = acting(ctx, ...roles);
  if (acted.party !== 'operator') fail('NOT_A_PARTY', 'Only the operator does this.');
  return acted;
};

/** The operator reloads the label overlay file: checked, shared with the other replicas, served from the next request and recorded. */
async function reloadLabels({ labelOverlayFile, sharedOverlay, decisions, gateway }: Omit<RegistryDeps, 'schemaRegistry'>, ctx: AdminContext) {
  const { who } = operator(ctx, 'label-editor');
  if (!labelOverlayFile) fail('OPERATION_NOT_SUPPORTED', 'This gateway was started without a label overlay file.');
  // Read once: the overlay checked, the one stored for the other replicas and the digest recorded are the same bytes.
  let bytes: Buffer;
  let json: unknown;
  let overlay: LabelOverlay;
  try {
    bytes = readFileSync(labelOverlayFile);
    json = JSON.parse(bytes.toString('utf8'));
    overlay = parseLabelOverlay(json, labelOverlayFile);
  } catch (error) {
    fail('PUBLICATION_REFUSED', `The label overlay cannot be read: ${(error as Error).message}`);
  }
  const report = labelReport(buildLabelCatalog(gateway.supergraphSdl, overlay));
  if (report.missingBasis.length > 0) fail('PUBLICATION_REFUSED', `NOT_SHARED without a legal basis: ${report.missingBasis.join(', ')}.`);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const at = new Date().toISOString();
  // Shared first: a reload that cannot reach the other replicas changes none, this one included.
  if (sharedOverlay) await guarded(() => sharedOverlay.save(json, digest, who, at));
  await gateway.swap(undefined, overlay);
  await decisions.append({ at, who, action: 'label-overlay', subject: labelOverlayFile, coordinates: [], decision: null, reason: 'reloadLabels', detail: JSON.stringify({ sha256: digest }) });
  return { digest, fields: gateway.catalog.fields.size, unlabeled: report.unlabeled };
}

export function registryResolvers({ schemaRegistry, labelOverlayFile, sharedOverlay, decisions, gateway }: RegistryDeps) {
  const registry = (): SchemaRegistry => schemaRegistry ?? fail('OPERATION_NOT_SUPPORTED', 'This gateway keeps no schema registry.');
  const apply = (supergraphSdl: string) => gateway.swap(supergraphSdl);
  const recorded = async (action: RegistryAction, who: string, subgraph: string, publication: Publication | undefined, asked?: number) => {
    await decisions.append(publicationDecision(action, who, subgraph, publication, asked));
    return publication;
  };
  const withDecisions = (v: SubgraphVersion) => ({ ...v, decisions: registry().decisions(v.subgraph, v.version) });
  const published = (p: Extract<Publication, { ok: true }>) => ({
    version: withDecisions(p.version), diff: p.diff, ...labelSummary(p.labels.own), elsewhere: labelSummary(p.labels.others), ownershipChanges: p.ownership, awaiting: p.awaiting,
  });
  return {
    Query: {
      subgraphVersions: (_: unknown, { subgraph }: { subgraph?: string }, ctx: AdminContext) => {
        const { party } = acting(ctx, 'publisher', 'auditor');
        return registry().versions(subgraph ?? undefined).filter((v) => party === 'operator' || v.subgraph === party).map(withDecisions);
      },
      subgraphDiff: (_: unknown, args: { subgraph: string; from: number; to: number }, ctx: AdminContext) => {
        const { party } = acting(ctx, 'publisher', 'auditor');
        if (party !== 'operator' && party !== args.subgraph) fail('NOT_A_PARTY', `${party} publishes only its own subgraph.`);
        return registry().diff(args.subgraph, args.from, args.to) ?? fail('VERSION_NOT_FOUND', `Subgraph "${args.subgraph}" has no version ${args.from} or ${args.to}.`);
      },
      checkPublication: async (_: unknown, input: { name: string; url: string; sdl: string }, ctx: AdminContext) => {
        const { party, who } = ownSubgraph(ctx, input.name);
        const checked = answered(await registry().check(input, { party, who }), input.name);
        return { diff: checked.diff, ...labelSummary(checked.labels.own), elsewhere: labelSummary(checked.labels.others), ownershipChanges: checked.ownership, awaiting: checked.awaiting };
      },
      pendingPublications: async (_: unknown, __: unknown, ctx: AdminContext) => {
        const { party } = acting(ctx, 'publisher', 'auditor');
        const pending = registry().versions().filter((v) => v.status === 'PENDING');
        const reviewed = await Promise.all(pending.map((v) => registry().pending(v.subgraph, v.version)));
        return reviewed
          .filter((p): p is Extract<Publication, { ok: true }> => p?.ok === true)
          .filter((p) => party === 'operator' || p.version.subgraph === party || p.ownership.some((c) => c.owners.includes(party)))
          .map(published);
      },
    },
    Mutation: {
      publishSubgraph: async (_: unknown, input: { name: string; url: string; sdl: string }, ctx: AdminContext) => {
        const { party, who } = ownSubgraph(ctx, input.name);
        const publication = await guarded(() => registry().publish(input, { party, who }, apply));
        return published(answered(await recorded('publish-subgraph', who, input.name, publication), input.name));
      },
      approvePublication: async (_: unknown, args: { subgraph: string; version: number }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'publisher');
        const publication = await guarded(() => registry().approve(args.subgraph, args.version, { party, who }, apply));
        return published(answered(await recorded('approve-publication', who, args.subgraph, publication, args.version), args.subgraph, args.version));
      },
      refusePublication: async (_: unknown, args: { subgraph: string; version: number; reason: string }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'publisher');
        if (!args.reason.trim()) fail('REASON_REQUIRED', 'A refusal of a publication states its reason.');
        const refused = answered(await guarded(() => registry().refuse(args.subgraph, args.version, { party, who }, args.reason)), args.subgraph, args.version);
        const v = refused.version;
        await decisions.append({ at: new Date().toISOString(), who, action: 'refuse-publication', subject: `${v.subgraph}@${v.version}`, coordinates: [], decision: v.status, reason: args.reason, detail: null });
        return withDecisions(v);
      },
      rollbackSubgraph: async (_: unknown, args: { subgraph: string; version: number }, ctx: AdminContext) => {
        const { who } = operator(ctx, 'publisher');
        const publication = await guarded(() => registry().rollback(args.subgraph, args.version, apply));
        return published(answered(await recorded('rollback-subgraph', who, args.subgraph, publication, args.version), args.subgraph, args.version));
      },
      reloadLabels: (_: unknown, __: unknown, ctx: AdminContext) => reloadLabels({ labelOverlayFile, sharedOverlay, decisions, gateway }, ctx),
    },
  };
}
