// The gateway: Fastify serving the supergraph at /graphql (GET and POST, GraphQL-over-HTTP)
// on the plan executor, GraphiQL at /graphiql and the console at /console (console-routes.ts), liveness and provider health at
// /health, readiness at /ready, metrics at /metrics and, with authorization, the admin endpoint. The request path, stage by stage:
// negotiate the media type → authenticate and state a purpose → read the parameters →
// run the operation (run-operation.ts) → record the access → answer.

import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Context, Span } from '@opentelemetry/api';
import { getHeapStatistics } from 'node:v8';
import { registerAdmin, type GatewayState } from '../admin/index.ts';
import { countersignaturesFileOf } from '../audit/index.ts';
import { MemoryResponseCache, RedisResponseCache, sharedRedis, type ResponseCache, type SharedRedis } from '../cache/index.ts';
import { errorBody } from '../errors/index.ts';
import { ASSERTION_HEADER, checkHealth, publishedKeys, supergraphGraphs } from '../execution/index.ts';
import type { BoundCall } from '../../protocol/index.ts';
import type { ObjectionService } from '../objections/index.ts';
import { ServiceMetrics } from '../quality/service-metrics.ts';
import { createTracing, REQUEST_ID_HEADER, requestIdOf, type RequestSummary } from '../telemetry/index.ts';
import { consoleRoutes } from './console-routes.ts';
import { checkpointCountersigning } from './countersign-checkpoints.ts';
import { DEFAULT_FAIR_USE, fairUse } from './fair-use.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { readGraphQLParams } from './graphql-params.ts';
import { graphqlRoute } from './graphql-route.ts';
import { healthRoutes } from './health-routes.ts';
import { specRoutes } from './spec-routes.ts';
import { edgeError, isGraphQLRequestBody } from './http-errors.ts';
import { shedLoad } from './load-shedding.ts';
import { GRAPHQL_RESPONSE, JSON_TYPE, negotiateMediaType, type GraphQLMediaType } from './media-type.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT_MS, runtimeShared } from './runtime-shared.ts';
import { runtimeSwapper, type RuntimeSwapper } from './runtime-swap.ts';

export type { GatewayOptions };


declare module 'fastify' {
  interface FastifyRequest {
    graphqlMediaType: GraphQLMediaType;
    /** Error codes and limits of the answer, for the completion log line and the metrics. */
    summary?: RequestSummary;
    /** The request's trace: its span, and the context its provider calls continue. */
    traceSpan?: Span;
    traceContext?: Context;
  }
  interface FastifyInstance {
    /** What the gateway measures and keeps, for the admin endpoint, the CLI and tests. */
    jointgraph: GatewayState;
  }
}

const RETRY_AFTER_S = 5;

export async function createGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const authorization = options.authorization;
  const metrics = new ServiceMetrics(supergraphGraphs(options.supergraphSdl).map((g) => g.name));
  const tracing = await createTracing(options.tracing);
  const redis = options.redis ? sharedRedis(options.redis) : undefined;
  const cache = responseCache(options, metrics, redis);
  const shared = runtimeShared(options, { metrics, ...(cache ? { cache } : {}), ...(tracing ? { tracer: tracing.tracer } : {}), log: (errors) => app.log.error({ errors }, 'unexpected execution errors') });
  const swapper = await runtimeSwapper(shared, options.supergraphSdl, authorization?.labelOverlay);
  const current = () => swapper.current;
  const probeHeaders = options.callerKey
    ? async (provider: string, query: string, call: BoundCall) => ({ [ASSERTION_HEADER]: await current().signer!(provider, query, { subject: 'gateway' }, call) })
    : undefined;

  const app = gatewayServer(options);
  if (tracing) app.addHook('onClose', async () => tracing.shutdown());
  if (redis) {
    await redis.open(app.log);
    app.addHook('onClose', async () => redis.close());
  }
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // Providers (and anyone checking a provider's access log) verify the gateway's calls with these.
  if (options.callerKey) {
    const jwks = publishedKeys(options.callerKey);
    app.get('/.well-known/jwks.json', async () => jwks);
  }
  const registry = options.admin?.registry;

  // Load shedding: past these bounds every request is refused at once with 503 and Retry-After,
  // before the heap limit or an unbounded queue takes the process down.
  const pressure = options.pressure ?? { maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.85), maxEventLoopDelayMs: 2_000 };
  await shedLoad(app, pressure, RETRY_AFTER_S);
  // Every per-request field the stages set, declared up front: each request object keeps one shape.
  app.decorateRequest('graphqlMediaType', JSON_TYPE);
  for (const field of ['graphqlSource', 'operation', 'authz', 'summary', 'traceSpan', 'traceContext'] as const) app.decorateRequest(field, undefined);

  app.setErrorHandler(answerEdgeError);
  // A last write or checkpoint that fails at close is logged: the records it answered for were written already.
  if (authorization) app.addHook('onClose', async () => authorization.access.close().catch((error) => app.log.error({ err: error }, 'the access trail did not close cleanly')));

  const fair = await fairUse(app, options.fairUse ?? DEFAULT_FAIR_USE, options.admin?.registry, redis);
  await app.register(graphqlRoute, {
    authorization, registry, tracer: tracing?.tracer, metrics, current, limits: shared.limits, fair,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    documentCacheBytes: options.documentCacheBytes ?? 32 * 2 ** 20,
  });
  await app.register(consoleRoutes, {
    admin: Boolean(authorization && options.admin),
    served: () => ({ schema: current().served, ...(authorization ? { catalog: current().catalog } : {}) }),
  });

  const objections = authorization?.objections;
  if (objections) purgeCorrections(app, objections, cache);
  if (options.probeIntervalMs) probeEvery(app, options.probeIntervalMs, () => checkHealth(current().providers, options.healthTimeoutMs, probeHeaders).then((r) => metrics.recordProbe(r)));
  app.addHook('onClose', async () => swapper.close());
  const state = gatewayState({ metrics, cache, current, swapper, countersigning: startCountersigning(app, options, current) });
  if (authorization && options.admin) {
    await registerAdmin(app, { ...authorization, ...options.admin, http: { negotiateMediaType, isGraphQLRequestBody, readGraphQLParams, edgeError }, gateway: state, ...(objections ? { objections } : {}), ...(authorization.operations ? { operations: authorization.operations } : {}) });
  }

  await app.register(specRoutes);
  await app.register(healthRoutes, { authorization, metrics, providers: () => current().providers, healthTimeoutMs: options.healthTimeoutMs, probeHeaders });
  app.decorate('jointgraph', state);
  app.get('/', async (_, reply) => reply.redirect('/graphiql'));
  app.setNotFoundHandler(async (request, reply) => {
    return reply.code(404).type(JSON_TYPE).send(errorBody('NOT_FOUND', `Nothing is served at ${request.method} ${request.url.split('?')[0]}.`));
  });
  return app;
}

/** An error at the HTTP edge (a body too large, a timeout, a bad content type), answered in the request's media type. */
async function answerEdgeError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const edge = edgeError(error as Parameters<typeof edgeError>[0]);
  if (edge.status >= 500) request.log.error({ err: error }, 'gateway error');
  if (edge.headers) reply.headers(edge.headers);
  return reply.code(edge.status).type(request.graphqlMediaType).send(edge.body);
}

/** A corrected value leaves the cache: the entity's entries and the coordinate's. */
function purgeCorrections(app: FastifyInstance, objections: Pick<ObjectionService, 'whenCorrected'>, cache: ResponseCache | undefined): void {
  objections.whenCorrected((o) => {
    const [type, key] = [o.entityKey.slice(0, o.entityKey.indexOf(':')), o.entityKey.slice(o.entityKey.indexOf(':') + 1)];
    if (!cache) return;
    Promise.all([cache.purge({ type, key }), cache.purge({ coordinate: o.coordinate })])
      .catch((error) => app.log.error({ err: error }, 'the corrected value could not be purged from the cache'));
  });
}

/** Probes the providers' health every `intervalMs`, until the gateway closes. */
function probeEvery(app: FastifyInstance, intervalMs: number, probe: () => Promise<void>): void {
  const timer = setInterval(() => void probe(), intervalMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

/** Fastify with the gateway's bounds on a request's arrival, its id and its logging. */
function gatewayServer(options: GatewayOptions): FastifyInstance {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return Fastify({
    logger: options.logger ?? false,
    // The gateway writes its own line per request (below), without URLs, headers or bodies.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: options.bodyLimitBytes,
    // Node's own bounds are 300 s for a request and 60 s for its headers, checked every 30 s:
    // a client that trickles its headers or body is answered 408 and closed within these.
    requestTimeout: requestTimeoutMs,
    http: { headersTimeout: Math.min(10_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs) },
    genReqId: (request) => requestIdOf(request.headers[REQUEST_ID_HEADER]),
  });
}

/** Joint operation of the audit trail: the providers countersign the operator's checkpoints, at start and every interval. */
function startCountersigning(app: FastifyInstance, options: GatewayOptions, current: () => GatewayRuntime): Pick<GatewayState, 'countersign' | 'countersignedAtStart'> {
  const authorization = options.authorization;
  const checkpointsFile = authorization?.access.checkpointsFile;
  const countersign = authorization && options.callerKey && checkpointsFile
    ? checkpointCountersigning({
        checkpoint: () => authorization.access.checkpoint(),
        get providers() {
          return current().providers;
        },
        headersFor: async (provider, call) => ({ [ASSERTION_HEADER]: await current().signer!(provider, 'countersign', { subject: 'gateway' }, call) }),
        after: (n, limit) => authorization.access.checkpointsAfter(n, limit),
        file: countersignaturesFileOf(checkpointsFile),
        timeoutMs: options.healthTimeoutMs,
      })
    : undefined;
  // At start: the checkpoint the last run signed at shutdown, and any its last rounds missed.
  const countersignedAtStart = countersign?.().catch((error) => {
    app.log.error({ err: error }, 'countersigning at start failed');
    return undefined;
  });
  if (countersign && options.countersignIntervalMs !== 0) {
    const timer = setInterval(() => void countersign().catch((error) => app.log.error({ err: error }, 'countersigning failed')), options.countersignIntervalMs ?? 60_000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  return countersign ? { countersign, countersignedAtStart } : {};
}

/** What the gateway measures and keeps, for the admin endpoint, the CLI and tests: always the runtime serving now. */
function gatewayState(parts: {
  metrics: ServiceMetrics; cache: GatewayState['cache']; current: () => GatewayRuntime; swapper: RuntimeSwapper;
  countersigning: Pick<GatewayState, 'countersign' | 'countersignedAtStart'>;
}): GatewayState {
  const { metrics, cache, current, swapper, countersigning } = parts;
  return {
    metrics, cache,
    get catalog() {
      return current().catalog;
    },
    get declarations() {
      return current().declarations;
    },
    get providers() {
      return current().providers;
    },
    get supergraphSdl() {
      return current().supergraphSdl;
    },
    ...countersigning,
    checkOperation: (document, requester, purpose) =>
      current().checkOperation?.(document, requester, purpose) ?? { ok: false, code: 'OPERATION_NOT_SUPPORTED', message: 'Operations are registered only where authorization is on.' },
    swap: (supergraphSdl, overlay) => swapper.swap(supergraphSdl, overlay),
  };
}

/** The operator's response cache: none without a policy, in Redis where replicas share one, else in this process. */
function responseCache(options: GatewayOptions, metrics: ServiceMetrics, redis: SharedRedis | undefined): ResponseCache | undefined {
  const cachePolicy = options.cachePolicy;
  if (!cachePolicy) return undefined;
  return redis
    ? new RedisResponseCache({ redis, maxBytes: cachePolicy.maxBytes, registry: metrics.registry })
    : new MemoryResponseCache({ maxBytes: cachePolicy.maxBytes, registry: metrics.registry, ...(options.cacheClock ? { perf: options.cacheClock } : {}) });
}

export { GRAPHQL_RESPONSE };
