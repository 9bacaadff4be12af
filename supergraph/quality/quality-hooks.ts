// The quality stages of a /graphql request, as mercurius hooks: instrument the operation when
// lineage is asked for, observe every answer (completeness, timeliness), attach the lineage
// extension, and finally remove the fields the gateway added for itself.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { QualityDeclarations } from '../../directives/index.ts';
import type { SubgraphCall } from '../gateway/subgraph-executor.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { pruneDeniedFields } from '../policy/index.ts';
import { instrumentOperation, stripInternalFields } from './instrument-operation.ts';
import { observeResponse, type OpenObjectionRef } from './observe-response.ts';
import type { ServiceMetrics } from './service-metrics.ts';

export const LINEAGE_HEADER = 'x-jointgraph-lineage';

export interface QualityContext {
  calls: SubgraphCall[];
  lineage: boolean;
  document?: DocumentNode;
}

export interface QualityHookOptions {
  schema: GraphQLSchema;
  catalog: LabelCatalog;
  declarations: QualityDeclarations;
  metrics: ServiceMetrics;
  openObjection?: (coordinate: string, entityKey: string) => OpenObjectionRef | undefined;
}

/** Lineage is opt-in: a header, or `extensions.lineage` in the request. */
export function wantsLineage(request: FastifyRequest): boolean {
  const header = request.headers[LINEAGE_HEADER];
  if (header === 'true' || header === '1') return true;
  const extensions = ((request.method === 'GET' ? request.query : request.body) as { extensions?: unknown } | undefined)?.extensions;
  const parsed = typeof extensions === 'string' ? safeJson(extensions) : extensions;
  return (parsed as { lineage?: unknown } | undefined)?.lineage === true;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const allowAll = () => ({ allowed: true as const, grantId: null, rowScope: 'ALL' as const });

/** Whether a document selects any field with a @quality declaration: if not, there is nothing to observe. */
function observesSomething(options: QualityHookOptions): (document: DocumentNode) => boolean {
  const memo = new WeakMap<DocumentNode, boolean>();
  const annotatedFields = new Set([...options.declarations.fields.keys()].map((c) => c.split('.')[1]!));
  const annotatedTypes = new Set([...options.declarations.types.keys()]);
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

export function addQualityObservation(app: FastifyInstance, options: QualityHookOptions): void {
  const worthObserving = observesSomething(options);
  app.graphql.addHook('onResolution', async (execution, context: { quality?: QualityContext }) => {
    const quality = context.quality;
    if (!quality?.document || (!quality.lineage && !worthObserving(quality.document))) return;
    const result = execution as { data?: Record<string, unknown> | null; extensions?: Record<string, unknown> };
    const lineage = observeResponse({
      schema: options.schema,
      document: quality.document,
      data: result.data,
      catalog: options.catalog,
      declarations: options.declarations,
      calls: quality.calls,
      metrics: options.metrics,
      now: new Date(),
      lineage: quality.lineage,
      ...(options.openObjection ? { openObjection: options.openObjection } : {}),
    });
    if (lineage) result.extensions = { ...result.extensions, lineage };
  });
}

export function addQualityInstrumentation(app: FastifyInstance, options: QualityHookOptions): void {
  app.graphql.addHook('preExecution', async (_schema, document: DocumentNode, context: { quality?: QualityContext; reply?: { request: FastifyRequest } }) => {
    const quality = context.quality;
    if (!quality) return;
    if (!quality.lineage) {
      quality.document = document;
      return;
    }
    // A pruned document is already one operation without fragments; a plain one is made so.
    const operationName = ((context.reply?.request.body ?? {}) as { operationName?: string }).operationName ?? null;
    const single = pruneDeniedFields({ schema: options.schema, document, operationName, verdictFor: allowAll }).document;
    quality.document = instrumentOperation(options.schema, single, options.catalog, options.declarations);
    return { document: quality.document };
  });
}

export function addInternalFieldStripping(app: FastifyInstance): void {
  app.graphql.addHook('onResolution', async (execution) => stripInternalFields((execution as { data?: unknown }).data));
}
