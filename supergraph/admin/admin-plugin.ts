// The admin endpoint at /admin/graphql: its own schema and its own credentials, apart from
// /graphql. Admin tokens identify principals of the operator or a provider; app credentials identify apps.

import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import mercurius from 'mercurius';
import { documentErrorCode, errorBody, ERRORS, type ErrorCode } from '../errors/index.ts';
import type { AppRegistry, Authenticator } from '../identity/index.ts';
import type { AdminCaller } from './admin-caller.ts';
import { adminResolvers, type AdminDeps } from './admin-resolvers.ts';

const SCHEMA = readFileSync(new URL('./admin-schema.graphql', import.meta.url), 'utf8');

export interface AdminOptions extends AdminDeps {
  registry: AppRegistry;
  authenticate: Authenticator;
}

declare module 'fastify' {
  interface FastifyRequest {
    adminCaller?: AdminCaller;
  }
}

export async function registerAdmin(app: FastifyInstance, options: AdminOptions): Promise<void> {
  await app.register(
    async (admin) => {
      admin.decorateRequest('adminCaller', undefined);
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
        return reply.code(401).send(errorBody('ADMIN_UNAUTHENTICATED', 'Missing or invalid admin credentials.'));
      });
      await admin.register(mercurius, {
        schema: SCHEMA,
        resolvers: adminResolvers(options) as never,
        path: '/graphql',
        graphiql: false,
        context: (request) => ({ caller: request.adminCaller }),
        // Every error carries a catalogued code and a hint, as on /graphql.
        errorFormatter(execution, context) {
          const formatted = mercurius.defaultErrorFormatter(execution, context);
          const requestError = execution.data === undefined || execution.data === null;
          formatted.response.errors = formatted.response.errors?.map((e) => {
            const own = e.extensions?.code;
            const code: ErrorCode = typeof own === 'string' && own in ERRORS ? (own as ErrorCode) : requestError ? documentErrorCode(e) : 'INTERNAL_SERVER_ERROR';
            return { ...e, extensions: { ...e.extensions, code, hint: e.extensions?.hint ?? ERRORS[code].hint } };
          });
          return formatted;
        },
      });
    },
    { prefix: '/admin' },
  );
}
