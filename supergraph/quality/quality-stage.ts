// The quality stages of a /graphql request: instrument the operation when lineage is asked
// for, observe every answer (completeness, timeliness) and attach the lineage extension;
// the fields the gateway added for itself are removed by the caller, last.

import type { IncomingHttpHeaders } from 'node:http';
import { visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { QualityDeclarations } from '../../directives/index.ts';
import type { SubgraphCall } from '../execution/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { pruneDeniedFields, type Verdict } from '../policy/index.ts';
import { instrumentOperation } from './instrument-operation.ts';
import { observeResponse, type OpenObjection } from './observe-response.ts';
import type { ServiceMetrics } from './service-metrics.ts';

export const LINEAGE_HEADER = 'x-jointgraph-lineage';

export interface QualityContext {
  calls: SubgraphCall[];
  lineage: boolean;
  /** The document the plan ran: what the observation walks. */
  document?: DocumentNode;
}

export interface QualityStageOptions {
  schema: GraphQLSchema;
  catalog: LabelCatalog;
  declarations: QualityDeclarations;
  metrics: ServiceMetrics;
  openObjection?: OpenObjection;
}

/** Lineage is opt-in: a header, or `extensions.lineage` in the request. */
export function wantsLineage(headers: IncomingHttpHeaders, extensions: Record<string, unknown> | undefined): boolean {
  const header = headers[LINEAGE_HEADER];
  return header === 'true' || header === '1' || extensions?.lineage === true;
}

const allowAll = () => ({ allowed: true as const, grantId: null, rowScope: 'ALL' as const });

const UNDECLARED: QualityDeclarations = Object.freeze({ fields: new Map(), types: new Map() });

/**
 * Without lineage, the entity keys (and runtime types) alone: the audit record names the records
 * whose values the answer returned (only where the requester may receive the key, as for lineage).
 */
export function instrumentForKeys(options: QualityStageOptions, document: DocumentNode, operationName: string | null, verdictFor?: (coordinate: string) => Verdict): DocumentNode {
  return instrumentForLineage({ ...options, declarations: UNDECLARED }, document, operationName, verdictFor);
}

/**
 * The operation with the keys, as-of fields and runtime types lineage needs (one operation, no
 * fragments), each only where the requester's verdicts allow it; without authorization, all.
 */
export function instrumentForLineage(options: QualityStageOptions, document: DocumentNode, operationName: string | null, verdictFor?: (coordinate: string) => Verdict): DocumentNode {
  const single = pruneDeniedFields({ schema: options.schema, document, operationName, verdictFor: allowAll }).document;
  return instrumentOperation(options.schema, single, options.catalog, options.declarations, (coordinate) => verdictFor?.(coordinate).allowed ?? true);
}

/** Whether a document selects any field with a @quality declaration: if not, there is nothing to observe. */
export function observesSomething(declarations: QualityDeclarations): (document: DocumentNode) => boolean {
  const memo = new WeakMap<DocumentNode, boolean>();
  const annotatedFields = new Set([...declarations.fields.keys()].map((c) => c.split('.')[1]!));
  const annotatedTypes = new Set([...declarations.types.keys()]);
  return (document) => {
    let answer = memo.get(document);
    if (answer === undefined) {
      answer = false;
      visit(document, {
        Field: (node) => void (annotatedFields.has(node.name.value) && (answer = true)),
        InlineFragment: (node) => void (node.typeCondition && annotatedTypes.has(node.typeCondition.name.value) && (answer = true)),
      });
      // Fields of annotated types reached without a fragment: resolved by the walk itself.
      if (!answer && annotatedTypes.size > 0) answer = true;
      memo.set(document, answer);
    }
    return answer;
  };
}

/** Observes one answer; returns the lineage extension when it was asked for. */
export function observeQuality(options: QualityStageOptions, worthObserving: (d: DocumentNode) => boolean, quality: QualityContext, data: Record<string, unknown> | null | undefined): unknown {
  if (!quality.document || (!quality.lineage && !worthObserving(quality.document))) return undefined;
  return observeResponse({
    schema: options.schema,
    document: quality.document,
    data,
    catalog: options.catalog,
    declarations: options.declarations,
    calls: quality.calls,
    metrics: options.metrics,
    now: new Date(),
    lineage: quality.lineage,
    ...(options.openObjection ? { openObjection: options.openObjection } : {}),
  });
}
