// The gateway: Fastify serving the supergraph at /graphql (GET and POST, GraphQL-over-HTTP)
// on the plan executor, GraphiQL at /graphiql and the console at /console (console-routes.ts), liveness and provider health at
// /health, readiness at /ready, metrics at /metrics and, with authorization, the admin endpoint. The request path, stage by stage:
// negotiate the media type → authenticate and state a purpose → read the parameters →
// run the operation (run-operation.ts) → record the access → answer.

import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { getHeapStatistics } from 'node:v8';
import { operatorCheck, registerAdmin, type GatewayState } from '../admin/index.ts';
import { MemoryResponseCache, RedisResponseCache, sharedRedis, type CachePolicy, type SharedRedisOptions } from '../cache/index.ts';
import type { SubgraphEntry } from '../config/index.ts';
import { errorBody, ERRORS } from '../errors/index.ts';
import {
  ASSERTION_HEADER, checkHealth, publishedKeys, supergraphGraphs,
  type AssertionClaims, type BreakerOptions, type CallerKey, type SubgraphCall,
} from '../execution/index.ts';
import { purposeCovers, type AppRegistry } from '../identity/index.ts';
import type { BoundCall } from '../../protocol/index.ts';
import type { RequestAuthorization } from '../policy/index.ts';
import type { SchemaRegistry } from '../registry/index.ts';
import type { SharedOverlay } from '../labels/index.ts';
import { wantsLineage, type QualityContext } from '../quality/quality-stage.ts';
import { ServiceMetrics } from '../quality/service-metrics.ts';
import { createTracing, incomingTrace, payloadSummary, REQUEST_ID_HEADER, requestIdOf, requestSummary, type RequestSummary, type TracingOptions } from '../telemetry/index.ts';
import { authenticateRequest, recordAccess, type AuthorizationOptions } from './authorization-stage.ts';
import { consoleRoutes } from './console-routes.ts';
import { countersignaturesFileOf } from '../audit/index.ts';
import { checkpointCountersigning } from './countersign-checkpoints.ts';
import { crossOrigin } from './cross-origin.ts';
import { DEFAULT_FAIR_USE, fairUse, type FairUseDefaults } from './fair-use.ts';
import type { RuntimeShared } from './gateway-runtime.ts';
import { readGraphQLParams } from './graphql-params.ts';
import { persistedDocuments } from './persisted-documents.ts';
import { edgeError, isGraphQLRequestBody, unsupportedMediaType } from './http-errors.ts';
import { GRAPHQL_RESPONSE, JSON_TYPE, negotiateMediaType, type GraphQLMediaType } from './media-type.ts';
import { shedLoad } from './load-shedding.ts';
import { DEFAULT_LIMITS, type OperationLimits } from './operation-limits.ts';
import { runtimeSwapper } from './runtime-swap.ts';

export interface GatewayOptions {
  /** Labels, joint authorization and the audit trail; without it the gateway is plain federation. */
  authorization?: AuthorizationOptions;
  /** The admin endpoint (/admin/graphql); needs `authorization`. */
  admin?: { registry: AppRegistry; schemaRegistry?: SchemaRegistry; labelOverlayFile?: string; sharedOverlay?: SharedOverlay };
  supergraphSdl: string;
  subgraphs?: readonly SubgraphEntry[];
  defaultTimeoutMs: number;
  healthTimeoutMs: number;
  bodyLimitBytes: number;
  /** A request's headers and body must arrive within this (default 30 s): a slow client holds no connection longer. */
  requestTimeoutMs?: number;
  /** How long a replaced schema's runtime waits for the requests still on it before it closes (default 30 s). */
  drainTimeoutMs?: number;
  onSubgraphCall?: (call: SubgraphCall) => void;
  /** Structured JSON logs (pino): one line per /graphql request; off when absent. `stream` takes the lines (tests). */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** Traces (OpenTelemetry) to an OTLP/HTTP endpoint or an exporter; no spans when absent. */
  tracing?: TracingOptions;
  /** The operator's cache policy; without it nothing is cached. */
  cachePolicy?: CachePolicy;
  /** A clock for cache TTLs (tests; the in-process cache only: Redis keeps its own time). */
  cacheClock?: { now(): number };
  /** Redis shared by replicas: the response cache and the rate-limit counters live there instead of in this process. */
  redis?: SharedRedisOptions;
  /** How often providers are probed for the availability measure; 0 or absent: only on /health. */
  probeIntervalMs?: number;
  /** Connections to each provider at most. */
  providerConnections?: number;
  /** When a provider's circuit opens and how long it stays open. */
  breaker?: BreakerOptions;
  /** Bytes of requester documents kept parsed and validated, and (again) of operations kept pruned. */
  documentCacheBytes?: number;
  /** Bytes of pruned documents kept planned. */
  planCacheBytes?: number;
  /** A document with more tokens is refused before it is parsed whole. */
  maxTokens?: number;
  /** Fields, root fields, variables, depth, aliases, directives and cost of one operation. */
  limits?: OperationLimits;
  /** The key the gateway signs its calls to providers with (their assertion); unsigned calls without it. */
  callerKey?: CallerKey;
  /** How often providers are asked to countersign the audit checkpoints signed since their last (default 60 s; 0: at start and on demand only). */
  countersignIntervalMs?: number;
  /** Bytes of one answer at most (default 32 MiB). */
  maxResponseBytes?: number;
  /** Bytes read from one provider answer at most (default: maxResponseBytes). */
  maxProviderResponseBytes?: number;
  /** Per-app rate and requests in flight, unless the app's registry entry says otherwise. */
  fairUse?: FairUseDefaults;
  /** Shed load (503 with Retry-After) past these: heap in use, and event-loop delay. */
  pressure?: { maxHeapUsedBytes: number; maxEventLoopDelayMs: number };
}

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

const GRAPHQL_PATH = '/graphql';
const RETRY_AFTER_S = 5;
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 2 ** 20;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

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

export async function createGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const authorization = options.authorization;
  const metrics = new ServiceMetrics(supergraphGraphs(options.supergraphSdl).map((g) => g.name));
  const tracing = await createTracing(options.tracing);
  const redis = options.redis ? sharedRedis(options.redis) : undefined;
  const cachePolicy = options.cachePolicy;
  const cache = !cachePolicy ? undefined
    : redis ? new RedisResponseCache({ redis, maxBytes: cachePolicy.maxBytes, registry: metrics.registry })
    : new MemoryResponseCache({ maxBytes: cachePolicy.maxBytes, registry: metrics.registry, ...(options.cacheClock ? { perf: options.cacheClock } : {}) });
  const claimsFor = new WeakMap<object, AssertionClaims>();
  const shared: RuntimeShared = {
    ...(authorization ? { authorization } : {}),
    subgraphs: options.subgraphs ?? [],
    defaultTimeoutMs: options.defaultTimeoutMs,
    // Requests are bounded by their provider deadlines: one still holding a replaced runtime after this is stuck.
    drainMs: options.drainTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...(options.providerConnections ? { providerConnections: options.providerConnections } : {}),
    ...(options.breaker ? { breaker: options.breaker } : {}),
    ...(options.callerKey ? { callerKey: options.callerKey } : {}),
    maxProviderResponseBytes: options.maxProviderResponseBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    ...(options.cachePolicy ? { cachePolicy: options.cachePolicy } : {}),
    ...(cache ? { cache } : {}),
    documentCacheBytes: options.documentCacheBytes ?? 32 * 2 ** 20,
    planCacheBytes: options.planCacheBytes ?? 64 * 2 ** 20,
    maxTokens: options.maxTokens ?? 10_000,
    limits: options.limits ?? DEFAULT_LIMITS,
    metrics,
    ...(tracing ? { tracer: tracing.tracer } : {}),
    onCall: (call) => {
      const context = call.context as CallContext;
      context?.authz?.providers.add(call.subgraph);
      context?.quality?.calls.push(call);
      metrics.recordCall(call);
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
    log: (errors) => app.log.error({ errors }, 'unexpected execution errors'),
  };
  const swapper = await runtimeSwapper(shared, options.supergraphSdl, authorization?.labelOverlay);
  const current = () => swapper.current;
  const probeHeaders = options.callerKey
    ? async (provider: string, query: string, call: BoundCall) => ({ [ASSERTION_HEADER]: await current().signer!(provider, query, { subject: 'gateway' }, call) })
    : undefined;

  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
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
  if (tracing) app.addHook('onClose', async () => tracing.shutdown());
  if (redis) {
    await redis.open(app.log);
    app.addHook('onClose', async () => redis.close());
  }
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (request.routeOptions.url !== GRAPHQL_PATH) return;
    const incoming = incomingTrace(request.headers);
    if (!tracing) {
      if (incoming) request.traceContext = incoming;
      return;
    }
    const parent = incoming ?? ROOT_CONTEXT;
    const span = tracing.tracer.startSpan(`${request.method} ${GRAPHQL_PATH}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'jointgraph.request_id': request.id } }, parent);
    request.traceSpan = span;
    request.traceContext = trace.setSpan(parent, span);
  });
  // Providers (and anyone checking a provider's access log) verify the gateway's calls with these.
  if (options.callerKey) {
    const jwks = publishedKeys(options.callerKey);
    app.get('/.well-known/jwks.json', async () => jwks);
  }
  const limits = shared.limits;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const registry = options.admin?.registry;
  const budgetOf = (authz: RequestAuthorization | undefined) => (authz && registry?.apps.get(authz.requester.appId)?.limits?.maxCost) || limits.maxCost;

  // Load shedding: past these bounds every request is refused at once with 503 and Retry-After,
  // before the heap limit or an unbounded queue takes the process down.
  const pressure = options.pressure ?? { maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.85), maxEventLoopDelayMs: 2_000 };
  await shedLoad(app, pressure, RETRY_AFTER_S);
  app.decorateRequest('graphqlMediaType', JSON_TYPE);
  app.decorateRequest('graphqlSource', undefined);
  app.decorateRequest('answered', undefined);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH) return;
    const mediaType = negotiateMediaType(request.headers.accept);
    if (mediaType === null) {
      return reply.code(406).type(JSON_TYPE).send(errorBody('NOT_ACCEPTABLE', `Cannot answer with any of: ${request.headers.accept}.`));
    }
    request.graphqlMediaType = mediaType;
    if (request.method === 'POST' && !isGraphQLRequestBody(request.headers['content-type'])) {
      const edge = unsupportedMediaType();
      return reply.code(edge.status).type(mediaType).send(edge.body);
    }
  });
  app.setErrorHandler(async (error, request, reply) => {
    const edge = edgeError(error as Parameters<typeof edgeError>[0]);
    if (edge.status >= 500) request.log.error({ err: error }, 'gateway error');
    if (edge.headers) reply.headers(edge.headers);
    return reply.code(edge.status).type(request.graphqlMediaType).send(edge.body);
  });
  // Refusals at the edge (media type, authentication, fair use, parameters) are summarised from their small bodies.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === GRAPHQL_PATH && !request.summary) request.summary = payloadSummary(payload);
    return payload;
  });
  // One line and one count per /graphql request: who, why, how it ended, whom it asked; never a value.
  const appLabel = (appId: string | undefined) => (appId === undefined ? 'anonymous' : registry?.apps.has(appId) ? appId : 'unknown');
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH) return;
    const authz = request.authz;
    const status = reply.statusCode;
    const summary = request.summary ?? requestSummary(undefined);
    const codes = summary.codes.map((code) => (code in ERRORS ? code : 'UNCATALOGUED'));
    const ms = reply.elapsedTime;
    const providersCalled = authz ? [...authz.providers] : [];
    const denials = authz?.pruned?.denied.map((d) => d.verdict.reason) ?? [];
    metrics.recordRequest({ app: appLabel(authz?.requester.appId), status, codes, limits: summary.limits, denials }, ms / 1000);
    const line = { app: authz?.requester.appId ?? null, purpose: authz?.purpose ?? null, status, ms: Math.round(ms * 10) / 10, providers: providersCalled, errors: codes, denied: denials.length };
    if (status >= 500) request.log.error(line, 'graphql request');
    else request.log.info(line, 'graphql request');
    const span = request.traceSpan;
    if (span) {
      span.setAttributes({ 'http.response.status_code': status, 'jointgraph.app': authz?.requester.appId ?? 'anonymous', 'jointgraph.error_codes': codes });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
  if (authorization) {
    const authenticate = authenticateRequest(authorization);
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url === GRAPHQL_PATH) return authenticate(request, reply);
    });
    const record = recordAccess(authorization);
    app.addHook('onSend', async (request, reply, payload) => (request.routeOptions.url === GRAPHQL_PATH ? record(request, reply, payload) : payload));
    // A last write or checkpoint that fails at close is logged: the records it answered for were written already.
    app.addHook('onClose', async () => authorization.access.close().catch((error) => app.log.error({ err: error }, 'the access trail did not close cleanly')));
  }

  const resolveDocument = persistedDocuments({
    maxBytes: options.documentCacheBytes ?? 32 * 2 ** 20,
    ...(authorization?.operations ? { operations: authorization.operations } : {}),
    registeredOnly: (appId) => registry?.apps.get(appId)?.operations === 'registered',
  });
  const handle = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const type = request.graphqlMediaType;
    const documentStatus = type === GRAPHQL_RESPONSE ? 400 : 200;
    const read = readGraphQLParams(request);
    if (!read.ok) {
      return reply.code(400).type(type).send(errorBody('BAD_REQUEST', read.message));
    }
    const resolved = resolveDocument(read.params, request.authz?.requester.appId, documentStatus);
    if (!resolved.ok) return reply.code(resolved.status).type(type).send(errorBody(resolved.code, resolved.message));
    const params = resolved.params;
    request.graphqlSource = params.query;
    // The runtime is read once: a swap during the request leaves it on the schema it started with.
    const runtime = current();
    const release = runtime.hold();
    const response = await runtime.runOperation({
      params,
      method: request.method,
      authz: request.authz,
      maxCost: budgetOf(request.authz),
      requestId: request.id,
      ...(request.traceContext ? { trace: request.traceContext } : {}),
      lineage: wantsLineage(request.headers, params.extensions),
      documentStatus,
    }).finally(release);
    let status = response.status;
    let text = JSON.stringify(response.body);
    if (text.length > maxResponseBytes / 3 && Buffer.byteLength(text) > maxResponseBytes) {
      // Nothing of an answer past the bound leaves, and none of it counts as released.
      status = type === GRAPHQL_RESPONSE ? 400 : 200;
      text = JSON.stringify(errorBody('RESPONSE_TOO_LARGE', `The answer would take more than ${maxResponseBytes} bytes.`, { maxBytes: maxResponseBytes }));
      request.answered = { returned: [], entities: 0, errors: 1 };
      request.summary = { codes: ['RESPONSE_TOO_LARGE'], limits: [] };
    } else {
      if (response.answered) request.answered = response.answered;
      request.summary = requestSummary(response.body.errors);
    }
    if (response.headers) reply.headers(response.headers);
    return reply.code(status).type(`${type}; charset=utf-8`).send(text);
  };
  const fair = await fairUse(app, options.fairUse ?? DEFAULT_FAIR_USE, options.admin?.registry, redis);
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const sameAppOrigin = await crossOrigin(scope, registry);
    scope.route({ method: ['GET', 'POST'], url: GRAPHQL_PATH, handler: handle, ...fair, preHandler: [sameAppOrigin, fair.preHandler] });
    scope.route({
      method: ['PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: GRAPHQL_PATH,
      handler: async (request, reply) => {
        reply.header('allow', 'GET, HEAD, POST, OPTIONS');
        // An OPTIONS that is not a preflight the CORS stage answered.
        if (request.method === 'OPTIONS') return reply.code(204).send();
        return reply.code(405).type(request.graphqlMediaType).send(errorBody('METHOD_NOT_ALLOWED', `${request.method} is not a GraphQL-over-HTTP method.`));
      },
    });
  });
  await app.register(consoleRoutes, {
    admin: Boolean(authorization && options.admin),
    served: () => ({ schema: current().served, ...(authorization ? { catalog: current().catalog } : {}) }),
  });

  const objections = authorization?.objections;
  objections?.whenCorrected((o) => {
    const [type, key] = [o.entityKey.slice(0, o.entityKey.indexOf(':')), o.entityKey.slice(o.entityKey.indexOf(':') + 1)];
    if (!cache) return;
    Promise.all([cache.purge({ type, key }), cache.purge({ coordinate: o.coordinate })])
      .catch((error) => app.log.error({ err: error }, 'the corrected value could not be purged from the cache'));
  });
  if (options.probeIntervalMs) {
    const timer = setInterval(() => void checkHealth(current().providers, options.healthTimeoutMs, probeHeaders).then((r) => metrics.recordProbe(r)), options.probeIntervalMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  app.addHook('onClose', async () => swapper.close());
  // Joint operation of the audit trail: the providers countersign the operator's checkpoints.
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
  const state: GatewayState = {
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
    ...(countersign ? { countersign, countersignedAtStart } : {}),
    checkOperation: (document, requester, purpose) =>
      current().checkOperation?.(document, requester, purpose) ?? { ok: false, code: 'OPERATION_NOT_SUPPORTED', message: 'Operations are registered only where authorization is on.' },
    swap: (supergraphSdl, overlay) => swapper.swap(supergraphSdl, overlay),
  };
  if (authorization && options.admin) {
    await registerAdmin(app, { ...authorization, ...options.admin, http: { negotiateMediaType, isGraphQLRequestBody, readGraphQLParams, edgeError }, gateway: state, ...(objections ? { objections } : {}), ...(authorization.operations ? { operations: authorization.operations } : {}) });
  }

  // Provider URLs and per-field measures are the operator's: with authorization on, only its admin
  // token reads /metrics and the detailed /health; load balancers get the bare status.
  const operator = operatorCheck({ required: Boolean(authorization), principal: authorization?.authenticate.principal });
  // Liveness: 200 while the process serves, whatever the providers' state.
  app.get('/health', async (request) => {
    const report = await checkHealth(current().providers, options.healthTimeoutMs, probeHeaders);
    metrics.recordProbe(report);
    return (await operator(request.headers)).ok ? report : { status: report.status };
  });
  // Readiness: 503 while the audit trail (every answer is recorded in it) is down or no provider answers.
  const storesUp = async (): Promise<Record<string, boolean>> => {
    if (!authorization) return {};
    return authorization.access.probe().then(() => ({ audit: true }), () => ({ audit: false }));
  };
  app.get('/ready', async (request, reply) => {
    const report = await checkHealth(current().providers, options.healthTimeoutMs, probeHeaders);
    metrics.recordProbe(report);
    const stores = await storesUp();
    const down = Object.keys(stores).filter((name) => !stores[name]);
    const reachable = report.subgraphs.filter((s) => s.reachable).length;
    const details = (await operator(request.headers)).ok ? { stores, providers: report.subgraphs } : {};
    if (down.length === 0 && reachable > 0) return { status: 'ready', ...details };
    const why = down.length > 0 ? `the ${down.join(', ')} store is down` : 'no provider answers';
    return reply.code(503).type(JSON_TYPE).send(errorBody('NOT_READY', `The gateway is not ready: ${why}.`, details));
  });
  app.get('/metrics', async (request, reply) => {
    const check = await operator(request.headers);
    if (!check.ok) return reply.code(check.status).type(JSON_TYPE).send(check.body);
    return reply.type(metrics.registry.contentType).send(await metrics.exposition());
  });
  app.decorate('jointgraph', state);
  app.get('/', async (_, reply) => reply.redirect('/graphiql'));
  app.setNotFoundHandler(async (request, reply) => {
    return reply.code(404).type(JSON_TYPE).send(errorBody('NOT_FOUND', `Nothing is served at ${request.method} ${request.url.split('?')[0]}.`));
  });
  return app;
}

export { GRAPHQL_RESPONSE };
