// Caches what a provider returns, in front of its executor. Entity fetches are cached per
// entity (only the misses are fetched), root fields per document and variables. Every key
// holds the requester's authorization scope, so nothing crosses scopes; what may be cached,
// and for how long, comes from the cache policy for every coordinate the request selects.

import { createHash } from 'node:crypto';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import {
  getNamedType, isCompositeType, Kind, print,
  GraphQLError, type DocumentNode, type FieldNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { ResponseCache } from './response-cache.ts';

/** One `_entities` root field of a provider request: where its answer goes and its representations come from. */
interface EntityField {
  responseKey: string;
  variable: string;
}

interface Analysis {
  kind: 'entities' | 'root' | 'uncacheable';
  /** For entity fetches: every `_entities` field (the planner batches several into one request). */
  entityFields: EntityField[];
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

const UNCACHEABLE = (digest: string): Analysis => ({ kind: 'uncacheable', entityFields: [], coordinates: [], ttlSeconds: 0, digest });

/** The `_entities(representations: $v)` field's variable, or undefined for any other shape. */
function representationsVariable(field: FieldNode): string | undefined {
  const arg = field.arguments?.length === 1 ? field.arguments[0] : undefined;
  return arg?.name.value === 'representations' && arg.value.kind === Kind.VARIABLE ? arg.value.name.value : undefined;
}

function analyse(document: DocumentNode, options: CachingOptions): Analysis {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const digest = createHash('sha1').update(print(document)).digest('base64url');
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return UNCACHEABLE(digest);
  const coordinates = new Set<string>();
  const roots = operation.selectionSet.selections;
  const entityFields: EntityField[] = [];
  if (roots.some((s) => s.kind === Kind.FIELD && s.name.value === '_entities')) {
    for (const root of roots) {
      const variable = root.kind === Kind.FIELD && root.name.value === '_entities' ? representationsVariable(root) : undefined;
      if (root.kind !== Kind.FIELD || !variable || !root.selectionSet) return UNCACHEABLE(digest);
      entityFields.push({ responseKey: root.alias?.value ?? root.name.value, variable });
      for (const s of root.selectionSet.selections) {
        if (s.kind === Kind.FIELD && s.name.value === '__typename') continue;
        const t = s.kind === Kind.INLINE_FRAGMENT && s.typeCondition ? (options.schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : undefined;
        if (!t || s.kind !== Kind.INLINE_FRAGMENT) return UNCACHEABLE(digest);
        collect(options.schema, s.selectionSet, t, coordinates);
      }
    }
  } else {
    collect(options.schema, operation.selectionSet, options.schema.getQueryType()!, coordinates);
  }
  const list = [...coordinates];
  const ttlSeconds = list.length === 0 ? 0 : Math.min(...list.map((c) => options.ttlOf(c)));
  if (ttlSeconds <= 0) return UNCACHEABLE(digest);
  return { kind: entityFields.length > 0 ? 'entities' : 'root', entityFields, coordinates: list, ttlSeconds, digest };
}

function entityKey(representation: Record<string, unknown>, keyFields: ReadonlyMap<string, readonly string[]>): string {
  const type = String(representation.__typename);
  return `${type}:${(keyFields.get(type) ?? []).map((f) => String(representation[f])).join('|')}`;
}

/**
 * Identical concurrent lookups within one scope share one provider request, and its write to the
 * cache: per cache (one per gateway), so per replica even when replicas share the cache.
 */
const inFlight = new WeakMap<ResponseCache, Map<string, Promise<ExecutionResult>>>();

function merged(cache: ResponseCache, key: string, fetch: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
  let pending = inFlight.get(cache);
  if (!pending) inFlight.set(cache, (pending = new Map()));
  const running = pending.get(key);
  if (running) return running;
  const promise = fetch().finally(() => pending.delete(key));
  pending.set(key, promise);
  return promise;
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
      const hit = await cache.get(key);
      if (hit !== undefined) return hit as ExecutionResult;
      return merged(cache, key, async () => {
        const result = await fetch(request);
        if (!result.errors?.length) await cache.set(key, { value: result, coordinates: analysis.coordinates }, analysis.ttlSeconds);
        return result;
      });
    }

    // Per entity: only the misses are fetched, every `_entities` field of the request at once.
    const variables = request.variables ?? {};
    const fields = await Promise.all(analysis.entityFields.map(async ({ responseKey, variable }) => {
      const representations = (variables[variable] ?? []) as Record<string, unknown>[];
      const keys = representations.map((r) => `${prefix}${responseKey}\u0000${JSON.stringify(r)}`);
      const answers = await Promise.all(keys.map((k) => cache.get(k)));
      const missing = answers.flatMap((a, i) => (a === undefined ? [i] : []));
      return { responseKey, variable, representations, keys, answers, missing };
    }));
    const data = (): Record<string, unknown[]> => Object.fromEntries(fields.map((f) => [f.responseKey, f.answers]));
    if (fields.every((f) => f.missing.length === 0)) return { data: data() };

    // Every entity fetched without an error is cached on its own.
    const store = (result: ExecutionResult) => {
      const returned = result.data as Record<string, unknown[] | undefined> | null | undefined;
      return Promise.all(fields.flatMap((f) => {
        const fetched = returned?.[f.responseKey] ?? [];
        const failed = new Set((result.errors ?? []).filter((e) => e.path?.[0] === f.responseKey).map((e) => e.path?.[1]).filter((i): i is number => typeof i === 'number'));
        return f.missing.flatMap((original, j) => (failed.has(j) || fetched[j] == null ? [] : [
          cache.set(f.keys[original]!, { value: fetched[j], coordinates: analysis.coordinates, entityKey: entityKey(f.representations[original]!, options.keyFields) }, analysis.ttlSeconds),
        ]));
      }));
    };
    const missingVariables = Object.fromEntries(fields.map((f) => [f.variable, f.missing.map((i) => f.representations[i])]));
    const result = await merged(cache, prefix + JSON.stringify(missingVariables), async () => {
      const fetched = await fetch({ ...request, variables: { ...variables, ...missingVariables } });
      await store(fetched);
      return fetched;
    });
    const returned = result.data as Record<string, unknown[] | undefined> | null | undefined;
    if (!returned) return result;
    for (const f of fields) {
      const fetched = returned[f.responseKey] ?? [];
      f.missing.forEach((original, j) => {
        f.answers[original] = fetched[j] ?? null;
      });
    }
    const missingOf = new Map(fields.map((f) => [f.responseKey, f.missing]));
    const errors = result.errors?.map((e) => relocate(e, missingOf));
    return { ...result, data: data(), ...(errors ? { errors } : {}) };
  };
}

/** An error at `key[j]` of the partial fetch belongs at `key[missing[j]]`. */
function relocate(error: GraphQLError, missingOf: ReadonlyMap<string, number[]>): GraphQLError {
  const path = error.path;
  const missing = typeof path?.[0] === 'string' ? missingOf.get(path[0]) : undefined;
  if (!path || !missing || typeof path[1] !== 'number') return error;
  return new GraphQLError(error.message, {
    path: [path[0]!, missing[path[1]] ?? path[1], ...path.slice(2)],
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: error.extensions,
  });
}
