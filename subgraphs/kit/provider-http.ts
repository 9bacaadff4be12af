// The HTTP side every provider shares, whichever GraphQL server it runs (Apollo Server or
// mercurius, both on Fastify): the caller check before anything else answers, and the
// countersigning of the operator's audit checkpoints.

import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { COUNTERSIGN_PATH, GATEWAY_ISSUER } from '../../protocol/index.ts';
import { ASSERTION_HEADER, callerVerifier, type CallerAssertion, type CallerTrust } from './caller-trust.ts';
import { countersigner, type CountersignOptions } from './countersign.ts';


export interface ProviderApp {
  app: FastifyInstance;
  /** The verified assertion of a request, once the caller check let it through. */
  callerOf(request: FastifyRequest): CallerAssertion | undefined;
}

export function providerApp(provider: string, trust: CallerTrust | undefined, countersign: CountersignOptions | undefined): ProviderApp {
  const app = Fastify({ logger: false });
  const callers = new WeakMap<FastifyRequest, CallerAssertion>();
  if (trust) {
    const verify = callerVerifier(provider, trust);
    app.addHook('onRequest', async (request, reply) => {
      const check = await verify(request.headers[ASSERTION_HEADER]);
      if (!check.ok) return reply.code(check.status).send({ errors: [{ message: check.message, extensions: { code: check.code } }] });
      callers.set(request, check.assertion);
    });
    app.addHook('onClose', async () => verify.close());
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
