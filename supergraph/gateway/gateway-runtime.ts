// Everything the gateway builds from one supergraph and one label overlay: provider clients, the
// plan executor, the served (contract) schema, the label catalogue, the document and prepared-
// operation caches, the operation runner, the cost estimator and the shield. A schema swap builds
// a whole new runtime first; requests hold the runtime they started on, and a retired runtime
// closes its executor once the last of them is done.

import { GATEWAY_ISSUER } from '../../protocol/index.ts';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Tracer } from '@opentelemetry/api';
import { readPageSizes, readQualityDeclarations, type QualityDeclarations } from '../../directives/index.ts';
import type { OperationCheck } from '../admin/index.ts';
import { ttlFor, withCache, type CachePolicy, type ResponseCache } from '../cache/index.ts';
import type { SubgraphEntry } from '../config/index.ts';
import {
  assertionSigner, createPlanExecutor, createProviderClient, supergraphGraphs,
  type AssertionClaims, type AssertionSigner, type BreakerOptions, type CallerKey, type PlanExecutor, type SubgraphCall,
} from '../execution/index.ts';
import type { GrantService } from '../grants/index.ts';
import type { Requester } from '../identity/index.ts';
import { buildLabelCatalog, type LabelCatalog, type LabelOverlay } from '../labels/index.ts';
import type { ObjectionService } from '../objections/index.ts';
import { contractSchema, shieldedReader } from '../policy/index.ts';
import { observesSomething } from '../quality/quality-stage.ts';
import type { ServiceMetrics } from '../quality/service-metrics.ts';
import { createDocumentCache } from './document-cache.ts';
import { operationChecker } from './operation-check.ts';
import { operationCost } from './operation-cost.ts';
import { operationLimitRules, type OperationLimits } from './operation-limits.ts';
import { ReservedAliasRule } from './reserved-alias-rule.ts';
import { createOperationRunner } from './run-operation.ts';

/** What every runtime shares: the gateway's options and its process-wide parts. */
export interface RuntimeShared {
  authorization?: { catalog: LabelCatalog; grants: GrantService; objections?: ObjectionService };
  subgraphs: readonly SubgraphEntry[];
  defaultTimeoutMs: number;
  /** How long a retired runtime waits for the requests holding it before it closes anyway. */
  drainMs: number;
  providerConnections?: number;
  breaker?: BreakerOptions;
  callerKey?: CallerKey;
  maxProviderResponseBytes: number;
  cachePolicy?: CachePolicy;
  cache?: ResponseCache;
  documentCacheBytes: number;
  planCacheBytes: number;
  maxTokens: number;
  limits: OperationLimits;
  metrics: ServiceMetrics;
  tracer?: Tracer;
  onCall(call: SubgraphCall): void;
  claimsOf(context: unknown): AssertionClaims;
  traceOf(context: unknown): import('@opentelemetry/api').Context | undefined;
  scopeOf(context: unknown): string;
  log(errors: readonly GraphQLFormattedError[]): void;
}

export interface GatewayRuntime {
  supergraphSdl: string;
  catalog: LabelCatalog;
  declarations: QualityDeclarations;
  providers: { name: string; url: string }[];
  executor: PlanExecutor;
  served: GraphQLSchema;
  signer?: AssertionSigner;
  runOperation: ReturnType<typeof createOperationRunner>;
  checkOperation?: (document: string, requester: Requester, purpose: string) => OperationCheck;
  /** Holds the runtime for one request; call the answer when the request is done. */
  hold(): () => void;
  /**
   * No new request starts on it; its executor closes once the requests holding it are done, or
   * once `drainMs` has passed (a request still on it then fails instead of holding it open).
   */
  retire(): Promise<void>;
}

function memoize<T>(f: (key: string) => T): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    if (!memo.has(key)) memo.set(key, f(key));
    return memo.get(key)!;
  };
}

export async function buildRuntime(shared: RuntimeShared, supergraphSdl: string, overlay: LabelOverlay | undefined): Promise<GatewayRuntime> {
  const authorization = shared.authorization;
  const catalog = overlay ? buildLabelCatalog(supergraphSdl, overlay) : authorization?.catalog ?? buildLabelCatalog(supergraphSdl);
  const declarations = readQualityDeclarations(supergraphSdl);
  const overrides = new Map(shared.subgraphs.map((s) => [s.name, s]));
  const providers = supergraphGraphs(supergraphSdl).map((g) => ({ name: g.name, url: overrides.get(g.name)?.url ?? g.url }));
  // The coordinates an assertion names come from the API schema, known once the executor is.
  let signer: AssertionSigner | undefined;
  const clients = new Map(
    providers.map((p) => [
      p.name,
      createProviderClient({
        name: p.name,
        url: p.url,
        timeoutMs: overrides.get(p.name)?.timeoutMs ?? shared.defaultTimeoutMs,
        connections: shared.providerConnections ?? 128,
        ...(shared.breaker ? { breaker: shared.breaker } : {}),
        onCall: shared.onCall,
        onCircuit: (subgraph, state) => shared.metrics.recordCircuit(subgraph, state),
        onRetry: (subgraph) => shared.metrics.recordRetry(subgraph),
        traceOf: (request) => shared.traceOf(request.context),
        ...(shared.tracer ? { tracer: shared.tracer } : {}),
        ...(shared.callerKey ? { assert: (request, call) => signer!(p.name, request.query, shared.claimsOf(request.context), call) } : {}),
        maxResponseBytes: shared.maxProviderResponseBytes,
      }),
    ]),
  );
  let schemaForCache: GraphQLSchema | undefined;
  const { cache, cachePolicy } = shared;
  const ttlOf = cachePolicy ? memoize((c: string) => ttlFor(cachePolicy, catalog, declarations, c)) : undefined;
  const executor = await createPlanExecutor({
    supergraphSdl,
    providers: clients,
    maxPlanBytes: shared.planCacheBytes,
    ...(cache && ttlOf
      ? {
          wrapProvider: (subgraph, transport) =>
            withCache(transport, {
              subgraph, cache, keyFields: catalog.keyFields, ttlOf, scopeOf: shared.scopeOf,
              get schema() {
                return schemaForCache!;
              },
            }),
        }
      : {}),
  });
  try {
    schemaForCache = executor.schema;
    if (shared.callerKey) signer = assertionSigner({ key: shared.callerKey, issuer: GATEWAY_ISSUER, schema: executor.schema });
    const served = authorization ? contractSchema(executor.schema, catalog) : executor.schema;
    const quality = {
      schema: served, catalog, declarations, metrics: shared.metrics,
      ...(authorization?.objections ? { openObjection: authorization.objections.openFor.bind(authorization.objections) } : {}),
    };
    const documents = createDocumentCache({ schema: served, limits: operationLimitRules(shared.limits), rules: [ReservedAliasRule], maxBytes: shared.documentCacheBytes, maxTokens: shared.maxTokens });
    const runOperation = createOperationRunner({
      served,
      ...(authorization ? { shielded: shieldedReader(served, catalog) } : {}),
      catalog, documents,
      costOf: operationCost(served, readPageSizes(supergraphSdl)),
      executor, quality,
      worthObserving: observesSomething(declarations),
      maxPreparedBytes: shared.documentCacheBytes,
      log: shared.log,
      ...(shared.tracer ? { tracer: shared.tracer } : {}),
    });
    const checkOperation = authorization ? operationChecker({ served, documents, catalog, grants: authorization.grants }) : undefined;
    return {
      supergraphSdl, catalog, declarations, providers, executor, served, runOperation,
      ...(signer ? { signer } : {}),
      ...(checkOperation ? { checkOperation } : {}),
      ...holding(() => executor.close(), shared.drainMs),
    };
  } catch (error) {
    await executor.close();
    throw error;
  }
}

/** A reference count: the close runs once the runtime is retired and no request holds it, or `drainMs` after the retirement. */
export function holding(close: () => Promise<void>, drainMs: number): Pick<GatewayRuntime, 'hold' | 'retire'> {
  let held = 0;
  let retired: (() => void) | undefined;
  let closing: Promise<void> | undefined;
  const closeOnce = () => (closing ??= close());
  return {
    hold() {
      held += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held -= 1;
        if (held === 0 && retired) retired();
      };
    },
    retire() {
      if (held === 0) return closeOnce();
      return new Promise<void>((resolve, reject) => {
        const closeNow = () => {
          clearTimeout(bound);
          closeOnce().then(resolve, reject);
        };
        const bound = setTimeout(closeNow, drainMs);
        bound.unref();
        retired = closeNow;
      });
    },
  };
}
