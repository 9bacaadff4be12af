// The catalogue of every data field in a supergraph: its owning provider(s), what it derives from
// and its effective label. Precedence: overlay coordinate > overlay type/wildcard > provider field
// label > provider type label > closed default (CONDITIONAL, CORE); a shared field derived from
// NOT_SHARED ones is then closed (NOT_SHARED) unless the overlay acknowledges those sources.

import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ObjectTypeDefinitionNode } from 'graphql';
import { CLOSED_DEFAULT, isDataType, readLabelProposals, sameLabel, type Label } from '../../directives/index.ts';
import { supergraphGraphs } from '../execution/index.ts';
import { fieldDerivations } from './field-derivation.ts';
import { joinArgument, resolvingJoinFields } from './join-directives.ts';
import { EMPTY_OVERLAY, type LabelOverlay } from './label-overlay.ts';

export type LabelSource = 'overlay' | 'overlay-type' | 'provider' | 'provider-type' | 'default';

export interface CatalogField {
  coordinate: string;
  type: string;
  field: string;
  /** Subgraphs that resolve the field (never one that only declares it @external). */
  owners: string[];
  label: Label;
  source: LabelSource;
  /** What the provider proposed, when it did. */
  proposal?: Label;
  /** Coordinates the field's value is computed from through @requires, directly or transitively. */
  derivedFrom: string[];
  /** Set when the field is labelled shared but derives from NOT_SHARED fields. */
  notSharedSources?: NotSharedSources;
}

export interface NotSharedSources {
  from: string[];
  /** The label the overlay or provider gave; it applies only once the operator acknowledged every source. */
  assigned: Label;
  /** The operator's basis for sharing the field anyway; without it, `label` is NOT_SHARED. */
  acknowledged?: string;
}

export interface LabelCatalog {
  fields: Map<string, CatalogField>;
  /** Types with a @key: entities, which the audit counts. */
  entityTypes: Set<string>;
  /** The fields of each entity type's first @key. */
  keyFields: Map<string, string[]>;
  graphNames: string[];
}

const CLOSED_BY_DERIVATION = 'Derived from data that is not shared; closed until the operator acknowledges the derivation';

export function buildLabelCatalog(supergraph: string | DocumentNode, overlay: LabelOverlay = EMPTY_OVERLAY): LabelCatalog {
  const doc = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const graphs = supergraphGraphs(doc);
  const nameOf = new Map(graphs.map((g) => [g.graph, g.name]));
  const proposals = readLabelProposals(doc);
  const derivations = fieldDerivations(doc);
  const fields = new Map<string, CatalogField>();
  const entityTypes = new Set<string>();
  const keyFields = new Map<string, string[]>();

  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !isDataType(def.name.value)) continue;
    const type = def.name.value;
    const joinTypes = def.directives?.filter((d) => d.name.value === 'join__type') ?? [];
    const key = joinTypes.map((d) => joinArgument(d, 'key')).find(Boolean);
    if (key) {
      entityTypes.add(type);
      keyFields.set(type, key.split(/\s+/).filter(Boolean));
    }
    const fallbackOwners = typeOwners(def, joinTypes, nameOf);
    for (const f of def.fields ?? []) {
      const coordinate = `${type}.${f.name.value}`;
      const resolving = resolvingJoinFields(f);
      const owners = resolving.length > 0 ? [...new Set(resolving.map((d) => nameOf.get(joinArgument(d, 'graph')!)!))] : fallbackOwners;
      const proposal = proposals.fields.get(coordinate) ?? proposals.types.get(type);
      const [label, source] = effective(coordinate, type, overlay, proposals);
      const derivedFrom = derivations.get(coordinate) ?? [];
      fields.set(coordinate, { coordinate, type, field: f.name.value, owners: owners.sort(), label, source, ...(proposal ? { proposal } : {}), derivedFrom });
    }
  }
  closeDerivedFromNotShared(fields, overlay);
  return { fields, entityTypes, keyFields, graphNames: graphs.map((g) => g.name) };
}

/**
 * A shared value computed from NOT_SHARED ones can give them away (invert the formula), so it is
 * closed until the operator acknowledges each of its NOT_SHARED sources in the overlay.
 */
function closeDerivedFromNotShared(fields: Map<string, CatalogField>, overlay: LabelOverlay): void {
  const found = [...fields.values()].flatMap((f) => {
    const from = f.label.sharing === 'NOT_SHARED' ? [] : f.derivedFrom.filter((c) => fields.get(c)?.label.sharing === 'NOT_SHARED');
    return from.length > 0 ? [{ f, from }] : [];
  });
  for (const { f, from } of found) {
    const acknowledgement = overlay.acknowledgements.get(f.coordinate);
    const assigned = f.label;
    if (acknowledgement && from.every((c) => acknowledgement.from.includes(c))) {
      f.notSharedSources = { from, assigned, acknowledged: acknowledgement.basis };
    } else {
      f.notSharedSources = { from, assigned };
      f.label = { ...assigned, sharing: 'NOT_SHARED', basis: CLOSED_BY_DERIVATION };
    }
  }
}

function effective(coordinate: string, type: string, overlay: LabelOverlay, proposals: ReturnType<typeof readLabelProposals>): [Label, LabelSource] {
  const fromOverlay = overlay.fields.get(coordinate);
  if (fromOverlay) return [fromOverlay, 'overlay'];
  const fromOverlayType = overlay.types.get(type);
  if (fromOverlayType) return [fromOverlayType, 'overlay-type'];
  const fromProvider = proposals.fields.get(coordinate);
  if (fromProvider) return [fromProvider, 'provider'];
  const fromProviderType = proposals.types.get(type);
  if (fromProviderType) return [fromProviderType, 'provider-type'];
  return [CLOSED_DEFAULT, 'default'];
}

/**
 * Owners of fields every subgraph of a type can resolve (keys, single-subgraph value types):
 * the subgraph that resolves most of the type's own fields, i.e. the entity's home.
 */
function typeOwners(def: ObjectTypeDefinitionNode, joinTypes: readonly ConstDirectiveNode[], nameOf: Map<string, string>): string[] {
  const graphs = joinTypes.map((d) => joinArgument(d, 'graph')!).filter(Boolean);
  if (graphs.length <= 1) return graphs.map((g) => nameOf.get(g)!);
  const counts = new Map<string, number>();
  for (const f of def.fields ?? []) {
    for (const d of resolvingJoinFields(f)) {
      const g = joinArgument(d, 'graph')!;
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  const home = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? graphs[0]!;
  return [nameOf.get(home)!];
}

export interface LabelReport {
  unlabeled: string[];
  conflicts: { coordinate: string; proposal: Label; overlay: Label }[];
  /** NOT_SHARED without a legal basis: composition must fail. */
  missingBasis: string[];
  /** Labelled shared, derived from NOT_SHARED fields, not acknowledged: closed. */
  derivedFromNotShared: { coordinate: string; from: string[] }[];
  /** Shared by the operator's acknowledgement although derived from NOT_SHARED fields. */
  acknowledgedDerivations: { coordinate: string; from: string[]; basis: string }[];
}

export function labelReport(catalog: LabelCatalog): LabelReport {
  const report: LabelReport = { unlabeled: [], conflicts: [], missingBasis: [], derivedFromNotShared: [], acknowledgedDerivations: [] };
  for (const f of catalog.fields.values()) {
    const assigned = f.notSharedSources?.assigned ?? f.label;
    if (f.source === 'default') report.unlabeled.push(f.coordinate);
    if ((f.source === 'overlay' || f.source === 'overlay-type') && f.proposal && !sameLabel(f.proposal, assigned)) {
      report.conflicts.push({ coordinate: f.coordinate, proposal: f.proposal, overlay: assigned });
    }
    const derivation = f.notSharedSources;
    if (derivation?.acknowledged) report.acknowledgedDerivations.push({ coordinate: f.coordinate, from: derivation.from, basis: derivation.acknowledged });
    else if (derivation) report.derivedFromNotShared.push({ coordinate: f.coordinate, from: derivation.from });
    if (f.label.sharing === 'NOT_SHARED' && !f.label.basis?.trim()) report.missingBasis.push(f.coordinate);
    if (f.proposal?.sharing === 'NOT_SHARED' && !f.proposal.basis?.trim() && !report.missingBasis.includes(f.coordinate)) report.missingBasis.push(f.coordinate);
  }
  return report;
}
