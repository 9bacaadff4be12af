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
import { ERRORS } from '../errors/index.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphs?: readonly SubgraphEntry[];
  defaultTimeoutMs: number;
  healthTimeoutMs: number;
  bodyLimitBytes: number;
  onSubgraphCall?: (call: SubgraphCall) => void;
  logger?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    graphqlMediaType: GraphQLMediaType;
  }
}

const GRAPHQL_PATH = '/graphql';

export async function createGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const schema = buildGatewaySchema(options);
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
    if (request.method === 'POST' && !isGraphQLRequestBody(request.headers['content-type'])) {
      const edge = unsupportedMediaType();
      return reply.code(edge.status).type(mediaType).send(edge.body);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === GRAPHQL_PATH && reply.statusCode !== 406) {
      reply.header('content-type', `${request.graphqlMediaType}; charset=utf-8`);
    }
    return payload;
  });

  await app.register(mercurius, {
    schema,
    path: GRAPHQL_PATH,
    graphiql: true,
    context: () => ({}),
    async errorHandler(error, request, reply) {
      const edge = edgeError(error as Parameters<typeof edgeError>[0], request.graphqlMediaType);
      if (edge.status >= 500) request.log.error({ err: error }, 'gateway error');
      if (edge.headers) reply.headers(edge.headers);
      await reply.code(edge.status).send(edge.body);
    },
    errorFormatter(execution) {
      const errors = (execution.errors ?? []).map((e) => {
        const json = e.toJSON();
        return json.extensions?.code ? json : { ...json, extensions: { ...json.extensions, code: 'INTERNAL_SERVER_ERROR', hint: ERRORS.INTERNAL_SERVER_ERROR.hint } };
      });
      if (execution.data === undefined) {
        // A request error found at execution (e.g. a missing required variable): nothing ran.
        const coded = errors.map((e) => ({ ...e, extensions: { ...e.extensions, code: documentErrorCode(e), hint: ERRORS[documentErrorCode(e)].hint } }));
        return { statusCode: 400, response: { data: undefined, errors: coded } } as never;
      }
      return { statusCode: 200, response: { data: execution.data, errors } } as never;
    },
  });

  app.get('/health', async () => checkHealth(providers, options.healthTimeoutMs));
  app.get('/', async (_, reply) => reply.redirect('/graphiql'));
  return app;
}

export { GRAPHQL_RESPONSE };
