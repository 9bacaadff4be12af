// The gateway: Fastify + mercurius serving the stitched supergraph at /graphql (GET and POST,
// GraphQL-over-HTTP), GraphiQL at /graphiql and provider health at /health.

import Fastify, { type FastifyInstance } from 'fastify';
import mercurius from 'mercurius';
import type { SubgraphEntry } from '../config/index.ts';
import { buildGatewaySchema } from './gateway-schema.ts';
import { checkHealth } from './health.ts';
import { documentErrorCode, edgeError, isGraphQLRequestBody, unsupportedMediaType } from './http-errors.ts';
import { GRAPHQL_RESPONSE, JSON_TYPE, negotiateMediaType, type GraphQLMediaType } from './media-type.ts';
import type { SubgraphCall } from './subgraph-executor.ts';
import { supergraphGraphs } from './supergraph-graphs.ts';
import { ReservedAliasRule } from './reserved-alias-rule.ts';
import { addAuthorizationHooks, authenticateRequest, recordAccess, type AuthorizationOptions } from './authorization-stage.ts';
import { registerAdmin } from '../admin/admin-plugin.ts';
import type { AppRegistry } from '../identity/index.ts';
import { protectedSchema, type RequestAuthorization } from '../policy/index.ts';
import { readQualityDeclarations, type QualityDeclarations } from '../../directives/index.ts';
import { ResponseCache, ttlFor, type CachePolicy } from '../cache/index.ts';
import { buildLabelCatalog, type LabelCatalog } from '../labels/index.ts';
import { ServiceMetrics } from '../quality/service-metrics.ts';
import { addInternalFieldStripping, addQualityInstrumentation, addQualityObservation, wantsLineage, type QualityContext } from '../quality/quality-hooks.ts';
import { ERRORS, type ErrorCode } from '../errors/index.ts';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';

export interface GatewayOptions {
  /** Labels, joint authorization and the audit trail; without it the gateway is plain federation. */
  authorization?: AuthorizationOptions;
  /** The admin endpoint (/admin/graphql); needs `authorization`. */
  admin?: { registry: AppRegistry };
  supergraphSdl: string;
  subgraphs?: readonly SubgraphEntry[];
  defaultTimeoutMs: number;
  healthTimeoutMs: number;
  bodyLimitBytes: number;
  onSubgraphCall?: (call: SubgraphCall) => void;
  logger?: boolean;
  /** The operator's cache policy; without it nothing is cached. */
  cachePolicy?: CachePolicy;
  /** A clock for cache TTLs (tests). */
  cacheClock?: { now(): number };
  /** How often providers are probed for the availability measure; 0 or absent: only on /health. */
  probeIntervalMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    graphqlMediaType: GraphQLMediaType;
  }
  interface FastifyInstance {
    /** What the gateway measures and keeps, for the admin endpoint, the CLI and tests. */
    jointgraph: GatewayState;
  }
}

export interface GatewayState {
  metrics: ServiceMetrics;
  cache: ResponseCache | undefined;
  catalog: LabelCatalog;
  declarations: QualityDeclarations;
  providers: { name: string; url: string }[];
}

function memoize<T>(f: (key: string) => T): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    if (!memo.has(key)) memo.set(key, f(key));
    return memo.get(key)!;
  };
}

const GRAPHQL_PATH = '/graphql';

export async function createGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const authorization = options.authorization;
  const catalog = authorization?.catalog ?? buildLabelCatalog(options.supergraphSdl);
  const declarations = readQualityDeclarations(options.supergraphSdl);
  const metrics = new ServiceMetrics(supergraphGraphs(options.supergraphSdl).map((g) => g.name));
  const cache = options.cachePolicy
    ? new ResponseCache({ maxBytes: options.cachePolicy.maxBytes, registry: metrics.registry, ...(options.cacheClock ? { perf: options.cacheClock } : {}) })
    : undefined;
  const schema = buildGatewaySchema({
    ...options,
    onSubgraphCall(call) {
      const context = call.context as { authz?: RequestAuthorization; quality?: QualityContext } | undefined;
      context?.authz?.providers.add(call.subgraph);
      context?.quality?.calls.push(call);
      metrics.recordCall(call);
      options.onSubgraphCall?.(call);
    },
    ...(cache && options.cachePolicy
      ? {
          cache: {
            cache,
            keyFields: catalog.keyFields,
            ttlOf: memoize((c: string) => ttlFor(options.cachePolicy!, catalog, declarations, c)),
            scopeOf: (context: unknown) => (context as { authz?: RequestAuthorization } | undefined)?.authz?.scope ?? 'public',
          },
        }
      : {}),
  });
  const served = authorization ? protectedSchema(schema, authorization.catalog) : schema;
  const overrides = new Map((options.subgraphs ?? []).map((s) => [s.name, s.url]));
  const providers = supergraphGraphs(options.supergraphSdl).map((g) => ({ name: g.name, url: overrides.get(g.name) ?? g.url }));

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimitBytes });
  app.decorateRequest('graphqlMediaType', JSON_TYPE);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH) return;
    const mediaType = negotiateMediaType(request.headers.accept);
    if (mediaType === null) {
      const code = 'NOT_ACCEPTABLE';
      return reply
        .code(406)
        .type(JSON_TYPE)
        .send({ errors: [{ message: `Cannot answer with any of: ${request.headers.accept}.`, extensions: { code, hint: ERRORS[code].hint } }] });
    }
    request.graphqlMediaType = mediaType;
    // mercurius's response schema serialises error paths as strings; list indices must stay numbers.
    reply.serializer(JSON.stringify);
    if (request.method === 'POST' && !isGraphQLRequestBody(request.headers['content-type'])) {
      const edge = unsupportedMediaType();
      return reply.code(edge.status).type(mediaType).send(edge.body);
    }
  });
  if (authorization) {
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url === GRAPHQL_PATH) return authenticateRequest(authorization)(request, reply);
    });
    const record = recordAccess(authorization);
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.routeOptions.url === GRAPHQL_PATH) await record(request, reply);
      return payload;
    });
  }

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === GRAPHQL_PATH && reply.statusCode !== 406) {
      reply.header('content-type', `${request.graphqlMediaType}; charset=utf-8`);
    }
    return payload;
  });

  await app.register(mercurius, {
    schema: served,
    path: GRAPHQL_PATH,
    graphiql: true,
    validationRules: [ReservedAliasRule],
    context: (request) => ({ authz: request.authz, quality: { calls: [], lineage: wantsLineage(request) } satisfies QualityContext }),
    async errorHandler(error, request, reply) {
      const edge = edgeError(error as Parameters<typeof edgeError>[0], request.graphqlMediaType);
      if (edge.status >= 500) request.log.error({ err: error }, 'gateway error');
      if (edge.headers) reply.headers(edge.headers);
      await reply.code(edge.status).send(edge.body);
    },
    errorFormatter(execution, context) {
      const errors = (execution.errors ?? []).map(formatExecutionError);
      const unexpected = execution.errors?.filter((e) => !e.extensions?.code) ?? [];
      if (unexpected.length > 0) context.reply?.log.error({ errors: unexpected }, 'unexpected execution errors');
      if (execution.data === undefined) {
        // A request error found at execution (e.g. a missing required variable): nothing ran.
        const coded = errors.map((e) => ({ ...e, extensions: { ...e.extensions, code: documentErrorCode(e), hint: ERRORS[documentErrorCode(e)].hint } }));
        return { statusCode: 400, response: { data: undefined, errors: coded } } as never;
      }
      // graphql-tools marks query-planning failures CRITICAL_ERROR: the answer cannot be trusted
      // in part, so no data is returned (as graphql-tools' own executor does).
      const critical = execution.errors?.some((e) => e.extensions?.CRITICAL_ERROR) ?? false;
      return { statusCode: 200, response: { data: critical ? null : execution.data, errors } } as never;
    },
  });

  const objections = authorization?.objections;
  const qualityHooks = {
    schema: served,
    catalog,
    declarations,
    metrics,
    ...(objections ? { openObjection: (coordinate: string, key: string) => objections.openFor(coordinate, key) } : {}),
  };
  // Order matters: observe before denials are applied, instrument after pruning, strip last.
  addQualityObservation(app, qualityHooks);
  if (authorization) addAuthorizationHooks(app, served, authorization);
  addQualityInstrumentation(app, qualityHooks);
  addInternalFieldStripping(app);
  objections?.whenCorrected((o) => {
    const [type, key] = [o.entityKey.slice(0, o.entityKey.indexOf(':')), o.entityKey.slice(o.entityKey.indexOf(':') + 1)];
    cache?.purge({ type, key });
    cache?.purge({ coordinate: o.coordinate });
  });
  if (options.probeIntervalMs) {
    const timer = setInterval(() => void checkHealth(providers, options.healthTimeoutMs).then((r) => metrics.recordProbe(r)), options.probeIntervalMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  const state: GatewayState = { metrics, cache, catalog, declarations, providers };
  if (authorization && options.admin) {
    await registerAdmin(app, { ...authorization, registry: options.admin.registry, gateway: state, ...(objections ? { objections } : {}) });
  }

  app.get('/health', async () => {
    const report = await checkHealth(providers, options.healthTimeoutMs);
    metrics.recordProbe(report);
    return report;
  });
  app.get('/metrics', async (_, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.decorate('jointgraph', state);
  app.get('/', async (_, reply) => reply.redirect('/graphiql'));
  return app;
}

/** Serialises an execution error with a catalogued code, without engine-internal flags. */
function formatExecutionError(error: GraphQLError): GraphQLFormattedError {
  const { CRITICAL_ERROR: _internal, ...extensions } = error.toJSON().extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  return { ...error.toJSON(), extensions: { ...extensions, code, hint: extensions.hint ?? ERRORS[code as ErrorCode]?.hint ?? ERRORS.INTERNAL_SERVER_ERROR.hint } };
}

export { GRAPHQL_RESPONSE };
