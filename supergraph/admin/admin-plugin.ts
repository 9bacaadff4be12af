// The admin endpoint at /admin/graphql: its own schema and its own credentials, apart from
// /graphql. Admin tokens identify principals of the operator or a provider; app credentials identify apps;
// with single sign-on configured, a console session (and the /auth routes that start and end it) identifies a person.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse, visit, type DocumentNode, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import { readFileSync } from 'node:fs';
import type { SignInConfiguration } from '../config/index.ts';
import { documentErrorCode, errorBody, ERRORS, type ErrorCode } from '../errors/index.ts';
import type { AppRegistry, Authenticator } from '../identity/index.ts';
import { signIn } from '../sign-in/index.ts';
import type { AdminCaller } from './admin-caller.ts';
import { sessionCredentials } from './admin-credentials.ts';
import { adminResolvers, type AdminDeps } from './admin-resolvers.ts';

const SCHEMA = readFileSync(new URL('./admin-schema.graphql', import.meta.url), 'utf8');
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const JSON_TYPE = 'application/json';
/** Tokens and nested selection levels in an admin document at most: the console's deepest query needs a fraction. */
const ADMIN_MAX_TOKENS = 2_000;
const ADMIN_MAX_DEPTH = 20;

/** The deepest nesting of selection sets, walked without recursion (graphql's visit keeps its own stack). */
function selectionDepth(document: DocumentNode): number {
  let depth = 0;
  let deepest = 0;
  visit(document, {
    SelectionSet: {
      enter: () => void (deepest = Math.max(deepest, ++depth)),
      leave: () => void (depth -= 1),
    },
  });
  return deepest;
}

type EdgeErrorInput = { code?: string; statusCode?: number; message: string };

/**
 * The GraphQL-over-HTTP edge of /graphql (supergraph/gateway), handed in because this folder
 * cannot import the gateway: both endpoints negotiate, read parameters and refuse alike.
 */
export interface GraphQLHttpEdge {
  negotiateMediaType(accept: string | undefined): typeof GRAPHQL_RESPONSE | typeof JSON_TYPE | null;
  isGraphQLRequestBody(contentType: string | undefined): boolean;
  readGraphQLParams(request: FastifyRequest): { ok: true; params: { query: string | null; variables: Record<string, unknown> | undefined; operationName: string | null } } | { ok: false; message: string };
  edgeError(error: EdgeErrorInput): { status: number; body: { errors: GraphQLFormattedError[] }; headers?: Record<string, string> };
}

export interface AdminOptions extends AdminDeps {
  registry: AppRegistry;
  authenticate: Authenticator;
  http: GraphQLHttpEdge;
  /** Single sign-on through an OpenID Connect provider, for the console; tokens only without it. */
  signIn?: SignInConfiguration;
}

declare module 'fastify' {
  interface FastifyRequest {
    adminCaller?: AdminCaller;
    /** The media type this admin request is answered in, once negotiated. */
    adminMediaType?: typeof GRAPHQL_RESPONSE | typeof JSON_TYPE;
  }
}

export async function registerAdmin(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { http } = options;
  const sso = options.signIn ? signIn(options.signIn, { parties: () => ['operator', ...options.gateway.providers.map((p) => p.name)] }) : undefined;
  if (sso) await app.register(sso.routes, { prefix: '/auth' });
  await app.register(
    async (admin) => {
      admin.decorateRequest('adminCaller', undefined);
      admin.decorateRequest('adminMediaType', undefined);
      admin.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      // Accept and Content-Type are checked before the body is read, as on /graphql.
      admin.addHook('onRequest', async (request, reply) => {
        const type = http.negotiateMediaType(request.headers.accept);
        if (type === null) return reply.code(406).type(JSON_TYPE).send(errorBody('NOT_ACCEPTABLE', `Cannot answer with any of: ${request.headers.accept}.`));
        request.adminMediaType = type;
        if (request.method === 'POST' && !http.isGraphQLRequestBody(request.headers['content-type'])) return sendEdgeError(reply, type, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: '' });
      });
      admin.setErrorHandler(async (error: EdgeErrorInput, request, reply) => {
        if (!error.statusCode || error.statusCode >= 500) request.log.error({ err: error }, 'admin endpoint error');
        return sendEdgeError(reply, request.adminMediaType ?? JSON_TYPE, error);
      });
      admin.addHook('preHandler', async (request, reply) => {
        const principal = await options.authenticate.principal(request.headers, (reason) => request.log.info({ reason }, 'admin credentials refused'));
        if (principal) {
          request.adminCaller = { kind: 'party', party: principal.party, principal };
          return;
        }
        const app = await options.authenticate(request.headers);
        if (app) {
          request.adminCaller = { kind: 'app', requester: app.requester };
          return;
        }
        const session = await sessionCredentials(sso?.sessions, request.headers);
        if (session.kind === 'signed-in') {
          request.adminCaller = { kind: 'party', party: session.session.principal.party, principal: session.session.principal };
          return;
        }
        if (session.kind === 'refused') return reply.code(ERRORS[session.code].status).type(request.adminMediaType ?? JSON_TYPE).send(errorBody(session.code, session.message));
        return reply.code(401).type(request.adminMediaType ?? JSON_TYPE).send(errorBody('ADMIN_UNAUTHENTICATED', 'Missing or invalid admin credentials.'));
      });
      // Loaded when the admin endpoint is registered, not with the module.
      const { default: mercurius } = await import('mercurius');
      await admin.register(mercurius, {
        schema: SCHEMA,
        resolvers: adminResolvers(options) as never,
        routes: false,
        // Every error carries a catalogued code and a hint, as on /graphql; a request error (no execution) carries no `data`.
        errorFormatter(execution) {
          const requestError = execution.data === undefined;
          const errors = codedErrors(execution.errors ?? [], requestError ? documentErrorCode : () => 'INTERNAL_SERVER_ERROR');
          return { statusCode: 200, response: requestError ? { errors } : { data: execution.data ?? null, errors } };
        },
      });
      admin.route({
        method: ['GET', 'POST'],
        url: '/graphql',
        handler: async (request, reply) => {
          const type = request.adminMediaType ?? JSON_TYPE;
          // GraphQL over HTTP: a document the server refuses is 400 for graphql-response+json, 200 for legacy JSON.
          const documentStatus = type === GRAPHQL_RESPONSE ? 400 : 200;
          const read = http.readGraphQLParams(request);
          if (!read.ok) return reply.code(400).type(type).send(errorBody('BAD_REQUEST', read.message));
          const { query, variables, operationName } = read.params;
          if (query === null) return reply.code(400).type(type).send(errorBody('BAD_REQUEST', 'The admin endpoint takes no persisted documents: send the "query".'));
          // Parsed here first: on a syntax error mercurius would take the text for a JSON-encoded
          // AST (its feature), so `""` or a crafted AST would skip the parser and its token bound.
          let document: DocumentNode;
          try {
            document = parse(query, { maxTokens: ADMIN_MAX_TOKENS, noLocation: true });
          } catch (error) {
            return reply.code(documentStatus).type(type).send({ errors: codedErrors([error as GraphQLError], documentErrorCode) });
          }
          // Bounded before mercurius validates it: validation recurses through nested selections.
          const depth = selectionDepth(document);
          if (depth > ADMIN_MAX_DEPTH) {
            return reply.code(documentStatus).type(type).send(errorBody('OPERATION_LIMIT_EXCEEDED', `The admin document nests ${depth} selection levels; at most ${ADMIN_MAX_DEPTH} are read.`, { limit: { name: 'depth', measured: depth, allowed: ADMIN_MAX_DEPTH } }));
          }
          try {
            const result = await reply.graphql(query, { caller: request.adminCaller } as never, variables, operationName ?? undefined);
            return reply.code(result.data === undefined ? documentStatus : 200).type(type).send(result);
          } catch (error) {
            const refused = error as { code?: string; errors?: readonly GraphQLError[] };
            if (refused.code === 'MER_ERR_METHOD_NOT_ALLOWED') {
              return reply.code(405).header('allow', 'POST').type(type).send(errorBody('METHOD_NOT_ALLOWED', 'Only queries may be sent with GET: send a mutation with POST.'));
            }
            if (refused.code !== 'MER_ERR_GQL_VALIDATION' || !refused.errors) throw error;
            return reply.code(documentStatus).type(type).send({ errors: codedErrors(refused.errors, documentErrorCode) });
          }
        },
      });
    },
    { prefix: '/admin' },
  );

  function sendEdgeError(reply: FastifyReply, type: string, error: EdgeErrorInput) {
    const edge = http.edgeError(error);
    if (edge.headers) reply.headers(edge.headers);
    return reply.code(edge.status).type(type).send(edge.body);
  }
}

/** `errors` formatted, each with its own catalogued code if it has one, else `fallback`'s, and that code's hint. */
function codedErrors(errors: readonly GraphQLError[], fallback: (error: GraphQLError) => ErrorCode) {
  return errors.map((error) => {
    const formatted = error.toJSON();
    const own = formatted.extensions?.code;
    const code: ErrorCode = typeof own === 'string' && own in ERRORS ? (own as ErrorCode) : fallback(error);
    return { ...formatted, extensions: { ...formatted.extensions, code, hint: formatted.extensions?.hint ?? ERRORS[code].hint } };
  });
}
