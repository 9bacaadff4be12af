// Cross-origin access to /graphql, per app: a browser app lists its origins in its registry
// entry. A preflight (which carries no credentials) is granted to any origin some app lists; the
// request itself, once its app is known, must come from one of that app's own origins (or from
// the gateway's own, as GraphiQL does), or it is refused before anything runs.

import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors/index.ts';
import type { AppRegistry } from '../identity/index.ts';
import { PURPOSE_HEADER } from './authorization-stage.ts';
import { LINEAGE_HEADER } from '../quality/quality-stage.ts';

export async function crossOrigin(scope: FastifyInstance, registry: AppRegistry | undefined) {
  const listed = new Set([...(registry?.apps.values() ?? [])].flatMap((a) => a.origins ?? []));
  await scope.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && listed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'accept', 'authorization', 'x-api-key', PURPOSE_HEADER, LINEAGE_HEADER],
    maxAge: 600,
    strictPreflight: false,
    hideOptionsRoute: true,
  });
  return async function sameAppOrigin(request: FastifyRequest, reply: FastifyReply) {
    const origin = request.headers.origin;
    if (!origin || !request.authz || origin === `${request.protocol}://${request.host}`) return;
    if (registry?.apps.get(request.authz.requester.appId)?.origins?.includes(origin)) return;
    return reply.code(403).type(request.graphqlMediaType).send(errorBody('ORIGIN_NOT_ALLOWED', `App "${request.authz.requester.appId}" is not used from ${origin}.`));
  };
}
