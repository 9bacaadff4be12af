// Caches what a provider returns, in front of its executor. Entity fetches are cached per
// entity (only the misses are fetched), root fields per document and variables. Every key
// holds the requester's authorization scope, so nothing crosses scopes; what may be cached,
// and for how long, comes from the cache policy for every coordinate the request selects.

import { createHash } from 'node:crypto';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import {
  getNamedType, isCompositeType, Kind, print,
  GraphQLError, type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { ResponseCache } from './response-cache.ts';

interface Analysis {
  kind: 'entities' | 'root' | 'uncacheable';
  coordinates: string[];
  ttlSeconds: number;
  digest: string;
}

export interface CachingOptions {
  subgraph: string;
  cache: ResponseCache;
  schema: GraphQLSchema;
  ttlOf(coordinate: string): number;
  keyFields: ReadonlyMap<string, readonly string[]>;
  scopeOf(context: unknown): string;
}

function collect(schema: GraphQLSchema, selectionSet: SelectionSetNode, type: GraphQLCompositeType, out: Set<string>): void {
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const t = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : type;
      if (t) collect(schema, s.selectionSet, t, out);
    } else if (s.kind === Kind.FIELD && !s.name.value.startsWith('__')) {
      out.add(`${type.name}.${s.name.value}`);
      const field = 'getFields' in type ? type.getFields()[s.name.value] : undefined;
      const named = field && getNamedType(field.type);
      if (s.selectionSet && named && isCompositeType(named)) collect(schema, s.selectionSet, named, out);
    } else if (s.kind === Kind.FRAGMENT_SPREAD) {
      out.add('(fragment)'); // subgraph requests inline fragments; be safe if one does not
    }
  }
}

function analyse(document: DocumentNode, options: CachingOptions): Analysis {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const digest = createHash('sha1').update(print(document)).digest('base64url');
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return { kind: 'uncacheable', coordinates: [], ttlSeconds: 0, digest };
  const coordinates = new Set<string>();
  const [first] = operation.selectionSet.selections;
  const entities = operation.selectionSet.selections.length === 1 && first?.kind === Kind.FIELD && first.name.value === '_entities';
  if (entities && first.selectionSet) {
    for (const s of first.selectionSet.selections) {
      if (s.kind === Kind.FIELD && s.name.value === '__typename') continue;
      const t = s.kind === Kind.INLINE_FRAGMENT && s.typeCondition ? (options.schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : undefined;
      if (!t || s.kind !== Kind.INLINE_FRAGMENT) return { kind: 'uncacheable', coordinates: [], ttlSeconds: 0, digest };
      collect(options.schema, s.selectionSet, t, coordinates);
    }
  } else {
    collect(options.schema, operation.selectionSet, options.schema.getQueryType()!, coordinates);
  }
  const list = [...coordinates];
  const ttlSeconds = list.length === 0 ? 0 : Math.min(...list.map((c) => options.ttlOf(c)));
  return { kind: ttlSeconds > 0 ? (entities ? 'entities' : 'root') : 'uncacheable', coordinates: list, ttlSeconds, digest };
}

function entityKey(representation: Record<string, unknown>, keyFields: ReadonlyMap<string, readonly string[]>): string {
  const type = String(representation.__typename);
  return `${type}:${(keyFields.get(type) ?? []).map((f) => String(representation[f])).join('|')}`;
}

export function withCache(executor: Executor, options: CachingOptions): Executor {
  const analyses = new WeakMap<DocumentNode, Analysis>();
  const analysisOf = (document: DocumentNode) => {
    let a = analyses.get(document);
    if (!a) analyses.set(document, (a = analyse(document, options)));
    return a;
  };
  const { cache, subgraph } = options;
  const fetch = (request: ExecutionRequest) => executor(request) as Promise<ExecutionResult>;

  return async (request: ExecutionRequest) => {
    const analysis = analysisOf(request.document);
    if (analysis.kind === 'uncacheable') return executor(request);
    const scope = options.scopeOf(request.context);
    const prefix = `${scope}\u0000${subgraph}\u0000${analysis.digest}\u0000`;

    if (analysis.kind === 'root') {
      const key = prefix + JSON.stringify(request.variables ?? {});
      const hit = cache.get(key);
      if (hit) return hit.value as ExecutionResult;
      const result = await cache.dedupe(key, () => fetch(request));
      if (!result.errors?.length) cache.set(key, { value: result, coordinates: analysis.coordinates }, analysis.ttlSeconds);
      return result;
    }

    const representations = (request.variables?.representations ?? []) as Record<string, unknown>[];
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const answers: unknown[] = keys.map((k) => cache.get(k)?.value);
    const missing = answers.flatMap((a, i) => (a === undefined ? [i] : []));
    if (missing.length === 0) return { data: { _entities: answers } };

    const missingReps = missing.map((i) => representations[i]);
    const batchKey = prefix + JSON.stringify(missingReps);
    const result = await cache.dedupe(batchKey, () => fetch({ ...request, variables: { ...request.variables, representations: missingReps } }));
    const fetched = (result.data as { _entities?: unknown[] } | null | undefined)?._entities;
    if (!fetched) return result;
    const failed = new Set((result.errors ?? []).map((e) => e.path?.[1]).filter((i): i is number => typeof i === 'number'));
    missing.forEach((original, j) => {
      answers[original] = fetched[j] ?? null;
      if (!failed.has(j) && fetched[j] != null) {
        cache.set(keys[original]!, { value: fetched[j], coordinates: analysis.coordinates, entityKey: entityKey(representations[original]!, options.keyFields) }, analysis.ttlSeconds);
      }
    });
    const errors = result.errors?.map((e) => relocate(e, missing));
    return { ...result, data: { _entities: answers }, ...(errors ? { errors } : {}) };
  };
}

/** An error at `_entities[j]` of the partial fetch belongs at `_entities[missing[j]]`. */
function relocate(error: GraphQLError, missing: number[]): GraphQLError {
  const path = error.path;
  if (!path || path[0] !== '_entities' || typeof path[1] !== 'number') return error;
  return new GraphQLError(error.message, {
    path: ['_entities', missing[path[1]] ?? path[1], ...path.slice(2)],
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: error.extensions,
  });
}
