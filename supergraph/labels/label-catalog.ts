// The catalogue of every data field in a supergraph: its owning provider(s) and its effective
// label. Precedence: overlay coordinate > overlay type/wildcard > provider field label >
// provider type label > closed default (CONDITIONAL, CORE).

import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ObjectTypeDefinitionNode } from 'graphql';
import { CLOSED_DEFAULT, isDataType, readLabelProposals, sameLabel, type Label } from '../../directives/index.ts';
import { supergraphGraphs } from '../execution/index.ts';
import { EMPTY_OVERLAY, type LabelOverlay } from './label-overlay.ts';

export type LabelSource = 'overlay' | 'overlay-type' | 'provider' | 'provider-type' | 'default';

export interface CatalogField {
  coordinate: string;
  type: string;
  field: string;
  /** Subgraph names whose approval a grant for this field needs. */
  owners: string[];
  label: Label;
  source: LabelSource;
  /** What the provider proposed, when it did. */
  proposal?: Label;
  /** Fields of the same type that this field @requires. */
  requires: string[];
}

export interface LabelCatalog {
  fields: Map<string, CatalogField>;
  /** Types with a @key: entities, which the audit counts. */
  entityTypes: Set<string>;
  /** The fields of each entity type's first @key. */
  keyFields: Map<string, string[]>;
  graphNames: string[];
}

function argument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value && 'value' in value && typeof value.value === 'string' ? value.value : undefined;
}

export function buildLabelCatalog(supergraph: string | DocumentNode, overlay: LabelOverlay = EMPTY_OVERLAY): LabelCatalog {
  const doc = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const graphs = supergraphGraphs(doc);
  const nameOf = new Map(graphs.map((g) => [g.graph, g.name]));
  const proposals = readLabelProposals(doc);
  const fields = new Map<string, CatalogField>();
  const entityTypes = new Set<string>();
  const keyFields = new Map<string, string[]>();

  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !isDataType(def.name.value)) continue;
    const type = def.name.value;
    const joinTypes = def.directives?.filter((d) => d.name.value === 'join__type') ?? [];
    const key = joinTypes.map((d) => argument(d, 'key')).find(Boolean);
    if (key) {
      entityTypes.add(type);
      keyFields.set(type, key.split(/\s+/).filter(Boolean));
    }
    const fallbackOwners = typeOwners(def, joinTypes, nameOf);
    for (const f of def.fields ?? []) {
      const coordinate = `${type}.${f.name.value}`;
      const joinFields = f.directives?.filter((d) => d.name.value === 'join__field' && argument(d, 'graph') !== undefined) ?? [];
      const owners = joinFields.length > 0 ? [...new Set(joinFields.map((d) => nameOf.get(argument(d, 'graph')!)!))] : fallbackOwners;
      const requires = joinFields.flatMap((d) => (argument(d, 'requires') ?? '').split(/[\s{}]+/).filter(Boolean)).map((n) => `${type}.${n}`);
      const proposal = proposals.fields.get(coordinate) ?? proposals.types.get(type);
      const [label, source] = effective(coordinate, type, overlay, proposals);
      fields.set(coordinate, { coordinate, type, field: f.name.value, owners: owners.sort(), label, source, ...(proposal ? { proposal } : {}), requires });
    }
  }
  return { fields, entityTypes, keyFields, graphNames: graphs.map((g) => g.name) };
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
  const graphs = joinTypes.map((d) => argument(d, 'graph')!).filter(Boolean);
  if (graphs.length <= 1) return graphs.map((g) => nameOf.get(g)!);
  const counts = new Map<string, number>();
  for (const f of def.fields ?? []) {
    for (const d of f.directives ?? []) {
      const g = d.name.value === 'join__field' ? argument(d, 'graph') : undefined;
      if (g) counts.set(g, (counts.get(g) ?? 0) + 1);
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
}

export function labelReport(catalog: LabelCatalog): LabelReport {
  const report: LabelReport = { unlabeled: [], conflicts: [], missingBasis: [] };
  for (const f of catalog.fields.values()) {
    if (f.source === 'default') report.unlabeled.push(f.coordinate);
    if ((f.source === 'overlay' || f.source === 'overlay-type') && f.proposal && !sameLabel(f.proposal, f.label)) {
      report.conflicts.push({ coordinate: f.coordinate, proposal: f.proposal, overlay: f.label });
    }
    if (f.label.sharing === 'NOT_SHARED' && !f.label.basis?.trim()) report.missingBasis.push(f.coordinate);
    if (f.proposal?.sharing === 'NOT_SHARED' && !f.proposal.basis?.trim() && !report.missingBasis.includes(f.coordinate)) report.missingBasis.push(f.coordinate);
  }
  return report;
}
