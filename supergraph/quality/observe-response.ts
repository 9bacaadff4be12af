// What the gateway observes in each answer, per annotated value: null or not (completeness),
// and how old (timeliness, against the declared update cycle). With lineage requested, the
// same walk yields the lineage extension: which provider served each path, as of when, the
// stale values, the highest grade returned and the returned values under an open objection.

import { CYCLE_SECONDS, gradeRank, type Grade, type QualityDeclarations, type UpdateCycle } from '../../directives/index.ts';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { SubgraphCall } from '../execution/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { entityKeyIn, walkResponse } from '../response/index.ts';
import { AS_OF_ALIAS } from './instrument-operation.ts';
import type { ServiceMetrics } from './service-metrics.ts';
import { declaredQuality } from './declared-quality.ts';

/** The open objection on a value, if any (only whether there is one is passed on). */
export type OpenObjection = (coordinate: string, entityKey: string) => object | undefined;

export interface Lineage {
  highestGrade: Grade | null;
  sources: { path: (string | number)[]; coordinate: string; provider: string; grade: Grade; updateCycle: UpdateCycle | null; asOf: string | null }[];
  stale: { path: (string | number)[]; coordinate: string; asOf: string; updateCycle: UpdateCycle; ageSeconds: number }[];
  /**
   * Values under an open objection: a bare flag. The value's recipients should know it is
   * disputed; which app disputes it, and since when, would link that app to the entity, so the
   * objection itself is shown only to its filer, the owning providers and the operator (admin).
   */
  objections: { path: (string | number)[]; coordinate: string }[];
  /** Entity types whose key the requester may not receive: their values were not checked for objections. */
  keysWithheld?: string[];
}

export interface ObserveInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  data: Record<string, unknown> | null | undefined;
  catalog: LabelCatalog;
  declarations: QualityDeclarations;
  /** The provider calls this request made. */
  calls: readonly SubgraphCall[];
  metrics: ServiceMetrics;
  now: Date;
  lineage: boolean;
  openObjection?: OpenObjection;
}

const MAX_LISTED = 100;

export function observeResponse(input: ObserveInput): Lineage | undefined {
  const { catalog, declarations, metrics, now } = input;
  const updatedAt = new Map<string, string>();
  for (const call of input.calls) if (call.updatedAt) updatedAt.set(call.subgraph, call.updatedAt);
  const lineage: Lineage = { highestGrade: null, sources: [], stale: [], objections: [] };
  const sources = new Map<string, Lineage['sources'][number]>();
  const keysWithheld = new Set<string>();

  walkResponse(input.schema, input.document, input.data, ({ coordinate, value, holder, path, type }) => {
    const field = catalog.fields.get(coordinate);
    const quality = declaredQuality(catalog, declarations, coordinate);
    const provider = field?.owners[0];
    if (!field || !provider) return;
    const asOf = quality?.asOfField
      ? ((holder[AS_OF_ALIAS(quality.asOfField)] ?? holder[quality.asOfField]) as string | undefined) ?? null
      : (updatedAt.get(provider) ?? metrics.updatedAt(provider));
    const ageSeconds = asOf ? Math.max(0, Math.round((now.getTime() - Date.parse(asOf)) / 1000)) : null;
    const stale = Boolean(quality && ageSeconds !== null && ageSeconds > CYCLE_SECONDS[quality.updateCycle]);
    if (quality) metrics.recordValue(coordinate, value === null, ageSeconds, stale, asOf);
    if (!input.lineage) return;

    if (value !== null && (lineage.highestGrade === null || gradeRank(field.label.grade) > gradeRank(lineage.highestGrade))) lineage.highestGrade = field.label.grade;
    const template = path.map((p) => (typeof p === 'number' ? '*' : p));
    const templateKey = `${template.join('.')}|${coordinate}`;
    const known = sources.get(templateKey);
    if (!known) {
      sources.set(templateKey, { path: template, coordinate, provider, grade: field.label.grade, updateCycle: quality?.updateCycle ?? null, asOf });
    } else if (asOf && (!known.asOf || asOf < known.asOf)) {
      known.asOf = asOf; // the oldest value on the path is what the answer is as of
    }
    if (stale && quality && asOf && lineage.stale.length < MAX_LISTED) {
      lineage.stale.push({ path, coordinate, asOf, updateCycle: quality.updateCycle, ageSeconds: ageSeconds! });
    }
    const keyFields = catalog.keyFields.get(type);
    if (keyFields && input.openObjection && lineage.objections.length < MAX_LISTED) {
      // No key alias: the gateway did not ask for the key, because the requester may not receive it.
      const key = entityKeyIn(holder, type, keyFields);
      if (key === undefined) keysWithheld.add(type);
      else if (input.openObjection(coordinate, key)) lineage.objections.push({ path, coordinate });
    }
  }, { paths: input.lineage });
  if (!input.lineage) return undefined;
  lineage.sources = [...sources.values()];
  if (keysWithheld.size > 0) lineage.keysWithheld = [...keysWithheld].sort();
  return lineage;
}

