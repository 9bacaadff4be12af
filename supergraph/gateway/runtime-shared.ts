// What every runtime of one gateway shares (gateway-runtime.ts): its settings with their defaults,
// the cache, the metrics, and how a provider call learns about the request it serves: who asks,
// why, under which grants, for which rows (the claims of its signed assertion), in which trace.

import type { Tracer } from '@opentelemetry/api';
import type { GraphQLFormattedError } from 'graphql';
import type { ResponseCache } from '../cache/index.ts';
import type { ServiceMetrics } from '../quality/service-metrics.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { RuntimeShared } from './gateway-runtime.ts';
import { assertionClaims, operationContextOf } from './operation-context.ts';
import { DEFAULT_LIMITS } from './operation-limits.ts';

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 2 ** 20;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface SharedParts {
  metrics: ServiceMetrics;
  cache?: ResponseCache;
  tracer?: Tracer;
  log(errors: readonly GraphQLFormattedError[]): void;
}

export function runtimeShared(options: GatewayOptions, parts: SharedParts): RuntimeShared {
  return {
    ...(options.authorization ? { authorization: options.authorization } : {}),
    subgraphs: options.subgraphs ?? [],
    defaultTimeoutMs: options.defaultTimeoutMs,
    // Requests are bounded by their provider deadlines: one still holding a replaced runtime after this is stuck.
    drainMs: options.drainTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...(options.providerConnections ? { providerConnections: options.providerConnections } : {}),
    ...(options.breaker ? { breaker: options.breaker } : {}),
    ...(options.callerKey ? { callerKey: options.callerKey } : {}),
    maxProviderResponseBytes: options.maxProviderResponseBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    ...(options.cachePolicy ? { cachePolicy: options.cachePolicy } : {}),
    ...(parts.cache ? { cache: parts.cache } : {}),
    documentCacheBytes: options.documentCacheBytes ?? 32 * 2 ** 20,
    planCacheBytes: options.planCacheBytes ?? 64 * 2 ** 20,
    maxTokens: options.maxTokens ?? 10_000,
    limits: options.limits ?? DEFAULT_LIMITS,
    metrics: parts.metrics,
    ...(parts.tracer ? { tracer: parts.tracer } : {}),
    onCall: (call) => {
      operationContextOf(call.context)?.called(call);
      parts.metrics.recordCall(call);
      options.onSubgraphCall?.(call);
    },
    // Signs each provider call with what the request says about itself (operation-context.ts).
    claimsOf: (context) => operationContextOf(context)?.claims ?? assertionClaims(undefined, undefined),
    traceOf: (context) => operationContextOf(context)?.trace,
    scopeOf: (context) => operationContextOf(context)?.authz?.scope ?? 'public',
    log: parts.log,
  };
}
