// The engine: the Hive Router runtime plans each operation with its Rust query planner and
// executes the plan (fetches in sequence and in parallel, one request per provider and plan
// step, entities batched). Plans are cached by the runtime per document object and operation
// name; `canonicalDocument` hands it one object per distinct (pruned) document, so the plan
// cache follows the pruning and stays bounded in bytes.

import { documentStringMap } from '@envelop/core';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { buildASTSchema, parse, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { supergraphGraphs } from './supergraph-graphs.ts';
import type { ProviderClient } from './provider-client.ts';

export interface PlanExecutorOptions {
  supergraphSdl: string;
  /** One client per subgraph name. */
  providers: ReadonlyMap<string, ProviderClient>;
  /** Wraps each provider's executor (the response cache); identity when absent. */
  wrapProvider?: (subgraph: string, executor: Executor) => Executor;
  /** Bytes of distinct document text kept (and with them their plans), at most. */
  maxPlanBytes: number;
}

export interface PlanRequest {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | undefined;
  context: unknown;
}

export interface PlanExecutor {
  /** The supergraph's API schema: what requesters may ask, before labels. */
  schema: GraphQLSchema;
  /** The one document object to plan for this text: equal documents share one cached plan. */
  canonicalDocument(text: string, build: () => DocumentNode): DocumentNode;
  execute(request: PlanRequest): Promise<ExecutionResult>;
  close(): Promise<void>;
}

const printed = new WeakMap<DocumentNode, string>();

/** Bytes a parsed document and its plan take per byte of its text (an estimate). */
const DOCUMENT_WEIGHT = 16;

/** The text of a provider operation: the planner's own string when it made the document. */
function operationText(document: DocumentNode): string {
  let text = documentStringMap.get(document) ?? printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

export async function createPlanExecutor(options: PlanExecutorOptions): Promise<PlanExecutor> {
  const names = new Set(supergraphGraphs(options.supergraphSdl).map((g) => g.name));
  const executors = new Map<string, Executor>();
  for (const name of names) {
    const client = options.providers.get(name);
    if (!client) throw new Error(`No provider client for subgraph "${name}".`);
    const transport: Executor = (request: ExecutionRequest) =>
      client({ query: operationText(request.document), variables: request.variables, operationName: request.operationName, context: request.context });
    executors.set(name, options.wrapProvider ? options.wrapProvider(name, transport) : transport);
  }
  const handler = await unifiedGraphHandler({
    unifiedGraph: buildASTSchema(parse(options.supergraphSdl, { noLocation: true }), { assumeValidSDL: true }),
    getUnifiedGraphSDL: () => options.supergraphSdl,
    onSubgraphExecute: (subgraph, request) => executors.get(subgraph)!(request),
  });
  const run = handler.executor!;
  // A document object weighs a small multiple of its text; its plan goes with it (the runtime's
  // plan cache is a WeakMap on the document).
  const documents = new LRUCache<string, DocumentNode>({ maxSize: options.maxPlanBytes, sizeCalculation: (_, text) => Math.max(1, text.length * DOCUMENT_WEIGHT) });

  return {
    schema: handler.unifiedGraph,
    canonicalDocument(text, build) {
      let document = documents.get(text);
      if (!document) {
        document = build();
        // One document too large for the bound is planned, but not kept.
        if (text.length * DOCUMENT_WEIGHT <= options.maxPlanBytes / 8) documents.set(text, document);
      }
      return document;
    },
    async execute(request) {
      return (await run({
        document: request.document,
        ...(request.operationName ? { operationName: request.operationName } : {}),
        variables: request.variables ?? {},
        context: request.context,
      } as ExecutionRequest)) as ExecutionResult;
    },
    async close() {
      await Promise.all([...options.providers.values()].map((c) => c.close()));
    },
  };
}
