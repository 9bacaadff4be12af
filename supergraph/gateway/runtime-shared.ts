// What every runtime of one gateway shares (gateway-runtime.ts): its settings with their defaults,
// the cache, the metrics, and how a provider call learns about the request it serves: who asks,
// why, under which grants, for which rows (the claims of its signed assertion), in which trace.

import type { Context, Tracer } from '@opentelemetry/api';
import type { GraphQLFormattedError } from 'graphql';
import type { ResponseCache } from '../cache/index.ts';
import type { AssertionClaims } from '../execution/index.ts';
import { purposeCovers } from '../identity/index.ts';
import type { RequestAuthorization } from '../policy/index.ts';
import type { QualityContext } from '../quality/quality-stage.ts';
import type { ServiceMetrics } from '../quality/service-metrics.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { RuntimeShared } from './gateway-runtime.ts';
import { DEFAULT_LIMITS } from './operation-limits.ts';

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 2 ** 20;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type CallContext = { authz?: RequestAuthorization; quality?: QualityContext; requestId?: string; trace?: Context } | undefined;

/** What a request says about itself to the providers it calls: who, why, under which grants, for which rows. */
function assertionClaims(context: CallContext): AssertionClaims {
  const authz = context?.authz;
  const requestId = context?.requestId;
  if (!authz) return { subject: 'gateway', ...(requestId ? { requestId } : {}) };
  const covering = authz.grants.filter((g) => purposeCovers(g.purpose, authz.purpose));
  const district = authz.requester.district;
  const limited = [...new Set(covering.filter((g) => g.rowScope === 'OWN_DISTRICT').flatMap((g) => g.coordinates))];
  const rowTypes = [...new Set(limited.map((c) => c.slice(0, c.indexOf('.'))))];
  return {
    subject: authz.requester.appId,
    ...(requestId ? { requestId } : {}),
    department: authz.requester.department,
    purpose: authz.purpose,
    grants: covering.map((g) => g.id),
    rows: district && rowTypes.length > 0 ? { district, types: rowTypes, coordinates: limited } : null,
  };
}

export interface SharedParts {
  metrics: ServiceMetrics;
  cache?: ResponseCache;
  tracer?: Tracer;
  log(errors: readonly GraphQLFormattedError[]): void;
}

export function runtimeShared(options: GatewayOptions, parts: SharedParts): RuntimeShared {
  const claimsFor = new WeakMap<object, AssertionClaims>();
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
      const context = call.context as CallContext;
      context?.authz?.providers.add(call.subgraph);
      context?.quality?.calls.push(call);
      parts.metrics.recordCall(call);
      options.onSubgraphCall?.(call);
    },
    // Signs each provider call with what the request says about itself, worked out once per request.
    claimsOf: (context) => {
      const c = context as CallContext;
      if (!c) return assertionClaims(c);
      let claims = claimsFor.get(c);
      if (!claims) claimsFor.set(c, (claims = assertionClaims(c)));
      return claims;
    },
    traceOf: (context) => (context as CallContext)?.trace,
    scopeOf: (context) => (context as CallContext)?.authz?.scope ?? 'public',
    log: parts.log,
  };
}
