// The HTTP side every provider shares, whichever GraphQL server it runs (Apollo Server or
// mercurius, both on Fastify): the caller check before anything else answers (the assertion
// when the request arrives, its binding to the exact bytes received once the body is read), and
// the countersigning of the operator's audit checkpoints.

import { buildSubgraphSchema } from '@apollo/subgraph';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parse } from 'graphql';
import type { JWTPayload } from 'jose';
import { contentDigest, COUNTERSIGN_PATH, GATEWAY_ISSUER, memoisedCoordinates } from '../../protocol/index.ts';
import { ASSERTION_HEADER, callerVerifier, type CallerAssertion, type CallerTrust, type Refusal } from './caller-trust.ts';
import { countersigner, type CountersignOptions } from './countersign.ts';
import type { ProviderDefinition } from './provider.ts';
import type { Db } from './provider-store.ts';

export interface ProviderApp {
  app: FastifyInstance;
  /** The verified assertion of a request, once the caller check let it through. */
  callerOf(request: FastifyRequest): CallerAssertion | undefined;
}

const send = (reply: FastifyReply, refusal: Refusal) =>
  reply.code(refusal.status).send({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });

/** Queries of a GraphQL body (a batch is an array), or null when the body carries none. */
function queriesOf(body: unknown): string[] | null {
  const operations = Array.isArray(body) ? body : [body];
  const queries = operations.map((o) => (o as { query?: unknown } | null)?.query).filter((q): q is string => typeof q === 'string');
  return queries.length > 0 ? queries : null;
}

export function providerApp(provider: string, typeDefs: string, trust: CallerTrust | undefined, countersign: CountersignOptions | undefined): ProviderApp {
  const app = Fastify({ logger: false });
  const callers = new WeakMap<FastifyRequest, CallerAssertion>();
  if (trust) {
    const verifier = callerVerifier(provider, trust);
    // What a query asks of this provider's own schema, memoised per query text (plans repeat).
    const asked = memoisedCoordinates(buildSubgraphSchema({ typeDefs: parse(typeDefs) }), 4 * 2 ** 20);
    const pending = new WeakMap<FastifyRequest, JWTPayload>();
    const digests = new WeakMap<FastifyRequest, string>();
    // JSON bodies are read as bytes first: the digest the assertion names is of the bytes received.
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      digests.set(request, contentDigest(body as Buffer));
      json(request, (body as Buffer).toString('utf8'), done);
    });
    app.addHook('onRequest', async (request, reply) => {
      const check = await verifier.authenticate(request.headers[ASSERTION_HEADER]);
      if (!check.ok) return send(reply, check);
      pending.set(request, check.payload);
    });
    app.addHook('preHandler', async (request, reply) => {
      const payload = pending.get(request);
      if (!payload) return;
      const queries = request.method === 'GET' ? queriesOf(request.query) : queriesOf(request.body);
      const check = verifier.admit(payload, {
        method: request.method,
        path: request.url,
        host: request.headers.host,
        protocol: request.protocol,
        digest: digests.get(request) ?? contentDigest(''),
        asked: queries && [...new Set(queries.flatMap(asked))],
      });
      if (!check.ok) return send(reply, check);
      callers.set(request, check.assertion);
    });
    app.addHook('onClose', async () => verifier.close());
  }
  if (countersign) {
    const countersignCheckpoint = countersigner(provider, countersign);
    app.post(COUNTERSIGN_PATH, async (request, reply) => {
      // Only the gateway (the operator's) asks for countersignatures, never an app's call.
      if (trust && callers.get(request)?.issuer !== GATEWAY_ISSUER) {
        return reply.code(403).send({ errors: [{ message: 'Only the gateway asks for countersignatures.', extensions: { code: 'CALLER_REFUSED' } }] });
      }
      const result = countersignCheckpoint(request.body);
      if (!result.ok) return reply.code(result.status).send({ errors: [{ message: result.message, extensions: { code: result.code } }] });
      return { party: result.party, signature: result.signature };
    });
  }
  return { app, callerOf: (request) => callers.get(request) };
}

/** One request's context: the provider's own, built knowing who asks, and the verified caller. */
export function contextOf(provider: ProviderDefinition, db: Db, caller: CallerAssertion | undefined): object {
  return { ...provider.createContext(db, caller), caller };
}
