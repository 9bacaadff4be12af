// The /graphql route as an encapsulated plugin: its stages are hooks of its own scope, in this
// order, instead of global hooks that pick it out by URL:
//   onRequest   trace (a server span) → media type (406, 415) → cross-origin → fair use (route)
//   preHandler  authenticate and state a purpose → same app's origin → fair use in flight (route)
//   handler     read the parameters → resolve the document → run the operation → bound the answer;
//               the operation's result (operation-result.ts) is handed forward as request.operation
//   onSend      summarise an edge refusal → record the access from the result (the answer is withheld without it)
//   onResponse  one log line, one count, the span's end, from the same result
// A request shed at the root (load-shedding.ts) is refused before the first of these; its
// onSend and onResponse stages still run.

import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { errorBody, ERRORS } from '../errors/index.ts';
import type { AppRegistry } from '../identity/index.ts';
import type { RequestAuthorization } from '../policy/index.ts';
import { wantsLineage } from '../quality/quality-stage.ts';
import type { ServiceMetrics } from '../quality/service-metrics.ts';
import { incomingTrace, payloadSummary, requestSummary } from '../telemetry/index.ts';
import { recordAccess } from './access-record.ts';
import { authenticateRequest, type AuthorizationOptions } from './authorization-stage.ts';
import { crossOrigin } from './cross-origin.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { readGraphQLParams } from './graphql-params.ts';
import { isGraphQLRequestBody, unsupportedMediaType } from './http-errors.ts';
import { GRAPHQL_RESPONSE, JSON_TYPE, negotiateMediaType, type GraphQLMediaType } from './media-type.ts';
import type { OperationLimits } from './operation-limits.ts';
import { answeredOutcome, type OperationResult } from './operation-result.ts';
import { persistedDocuments } from './persisted-documents.ts';

export const GRAPHQL_PATH = '/graphql';

/** What fair use adds to the route (fair-use.ts): the rate limit's config and hook, and the in-flight check. */
export type FairUseRoute = Pick<RouteOptions, 'config' | 'onResponse'> & { preHandler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> };

export interface GraphQLRouteOptions {
  authorization: AuthorizationOptions | undefined;
  registry: AppRegistry | undefined;
  tracer: Tracer | undefined;
  metrics: ServiceMetrics;
  /** The runtime serving now; read once per request. */
  current: () => GatewayRuntime;
  limits: OperationLimits;
  maxResponseBytes: number;
  documentCacheBytes: number;
  fair: FairUseRoute;
}

export async function graphqlRoute(scope: FastifyInstance, options: GraphQLRouteOptions): Promise<void> {
  const { authorization, registry } = options;
  scope.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  scope.addHook('onRequest', startTrace(options.tracer));
  scope.addHook('onRequest', async (request, reply) => {
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
  // Refusals at the edge (media type, authentication, fair use, parameters) are summarised from their small bodies.
  scope.addHook('onSend', async (request, _reply, payload) => {
    if (!request.summary) request.summary = payloadSummary(payload);
    return payload;
  });
  scope.addHook('onResponse', completion(options.metrics, registry));
  if (authorization) {
    scope.addHook('preHandler', authenticateRequest(authorization));
    scope.addHook('onSend', recordAccess(authorization.access));
  }
  const sameAppOrigin = await crossOrigin(scope, registry);
  const { fair } = options;
  scope.route({ method: ['GET', 'POST'], url: GRAPHQL_PATH, handler: operationHandler(options), ...fair, preHandler: [sameAppOrigin, fair.preHandler] });
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
}

/** The request's trace: continued from its traceparent, with a server span when tracing is on. */
function startTrace(tracer: Tracer | undefined) {
  return async (request: FastifyRequest) => {
    const incoming = incomingTrace(request.headers);
    if (!tracer) {
      if (incoming) request.traceContext = incoming;
      return;
    }
    const parent = incoming ?? ROOT_CONTEXT;
    const span = tracer.startSpan(`${request.method} ${GRAPHQL_PATH}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'jointgraph.request_id': request.id } }, parent);
    request.traceSpan = span;
    request.traceContext = trace.setSpan(parent, span);
  };
}

/** One line and one count per request: who, why, how it ended, whom it asked; never a value. */
function completion(metrics: ServiceMetrics, registry: AppRegistry | undefined) {
  const appLabel = (appId: string | undefined) => (appId === undefined ? 'anonymous' : registry?.apps.has(appId) ? appId : 'unknown');
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { authz, operation } = request;
    const status = reply.statusCode;
    const summary = request.summary ?? requestSummary(undefined);
    const codes = summary.codes.map((code) => (code in ERRORS ? code : 'UNCATALOGUED'));
    const ms = reply.elapsedTime;
    // Named for an authorized request, as on its access record.
    const providersCalled = authz ? [...(operation?.providers ?? [])] : [];
    const denials = operation?.denied.map((d) => d.verdict.reason) ?? [];
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
  };
}

/** Reads the parameters, resolves the document, runs the operation on the runtime serving now, and bounds the answer. */
function operationHandler(options: GraphQLRouteOptions) {
  const { registry, limits, maxResponseBytes } = options;
  const budgetOf = (authz: RequestAuthorization | undefined) => (authz && registry?.apps.get(authz.requester.appId)?.limits?.maxCost) || limits.maxCost;
  const resolveDocument = persistedDocuments({
    maxBytes: options.documentCacheBytes,
    ...(options.authorization?.operations ? { operations: options.authorization.operations } : {}),
    registeredOnly: (appId) => registry?.apps.get(appId)?.operations === 'registered',
  });
  return async (request: FastifyRequest, reply: FastifyReply) => {
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
    const runtime = options.current();
    const release = runtime.hold();
    const result = await runtime.runOperation({
      params,
      method: request.method,
      authz: request.authz,
      maxCost: budgetOf(request.authz),
      requestId: request.id,
      ...(request.traceContext ? { trace: request.traceContext } : {}),
      lineage: wantsLineage(request.headers, params.extensions),
      documentStatus,
    }).finally(release);
    const { operation, text } = boundedAnswer(result, maxResponseBytes, type);
    request.operation = operation;
    request.summary = requestSummary(operation.body.errors);
    if (operation.headers) reply.headers(operation.headers);
    return reply.code(operation.status).type(`${type}; charset=utf-8`).send(text);
  };
}

/** The answer as sent: nothing of an answer past the bound leaves, and none of it counts as released. */
function boundedAnswer(result: OperationResult, maxBytes: number, type: GraphQLMediaType): { operation: OperationResult; text: string } {
  const text = JSON.stringify(result.body);
  if (text.length <= maxBytes / 3 || Buffer.byteLength(text) <= maxBytes) return { operation: result, text };
  const body = errorBody('RESPONSE_TOO_LARGE', `The answer would take more than ${maxBytes} bytes.`, { maxBytes });
  const answered = { returned: [], entities: 0, errors: 1 };
  const status = type === GRAPHQL_RESPONSE ? 400 : 200;
  return { operation: { ...result, status, body, answered, outcome: answeredOutcome(result.denied, answered) }, text: JSON.stringify(body) };
}
