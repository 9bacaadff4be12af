// Fair use of /graphql: each app (or, without authorization, each client address) gets a rate
// (requests per minute, @fastify/rate-limit) and a number of requests in flight; past either it
// is answered 429 RATE_LIMITED with Retry-After, and the other apps are not slowed down. With Redis,
// the rate is counted across replicas; the requests in flight are always counted per replica, since
// a shared count would outlive a replica that dies with requests in flight.

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { SharedRedis } from '../cache/index.ts';
import type { FairUse } from '../config/index.ts';
import { errorBody } from '../errors/index.ts';
import type { AppRegistry } from '../identity/index.ts';

export type { FairUse };

/** Generous for one app on one gateway; an app that needs more says so in its registry entry. */
export const DEFAULT_FAIR_USE: FairUseDefaults = Object.freeze({
  app: Object.freeze({ requestsPerMinute: 60_000, concurrent: 64 }),
  address: Object.freeze({ requestsPerMinute: 60_000, concurrent: 64 }),
});

const keyOf = (request: FastifyRequest) => (request.authz ? `app:${request.authz.requester.appId}` : `ip:${request.ip}`);

/** Who a limit counts, in a refusal's message: without authorization only the address is known. */
const callerOf = (request: FastifyRequest) => (request.authz ? 'this app' : 'this client address');

/** The defaults: for an app without limits of its own, and for a client address (authorization off). */
export interface FairUseDefaults {
  app: FairUse;
  address: FairUse;
}

/** The route options that put a route under fair use, after registering the rate-limit plugin they need. */
export async function fairUse(app: FastifyInstance, defaults: FairUseDefaults, registry: AppRegistry | undefined, redis?: SharedRedis): Promise<Pick<RouteOptions, 'config'> & { preHandler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> }> {
  const limitsOf = (request: FastifyRequest): FairUse => {
    if (!request.authz) return defaults.address;
    const own = registry?.apps.get(request.authz.requester.appId)?.limits;
    return { requestsPerMinute: own?.requestsPerMinute ?? defaults.app.requestsPerMinute, concurrent: own?.concurrent ?? defaults.app.concurrent };
  };
  // Redis unreachable: the rate is not counted (skipOnError) rather than every request refused.
  await app.register(rateLimit, { global: false, ...(redis ? { redis: redis.client, nameSpace: `${redis.keyPrefix}rate:`, skipOnError: true } : {}) });
  const inFlight = new Map<string, number>();
  const release = (key: string) => {
    const left = (inFlight.get(key) ?? 1) - 1;
    if (left <= 0) inFlight.delete(key);
    else inFlight.set(key, left);
  };
  return {
    config: {
      rateLimit: {
        // After authentication, so that the app is known.
        hook: 'preHandler',
        timeWindow: 60_000,
        max: (request: FastifyRequest) => limitsOf(request).requestsPerMinute,
        keyGenerator: keyOf,
        errorResponseBuilder: (request: FastifyRequest, context: { after: string; max: number; ttl: number }) =>
          Object.assign(new Error(`More than ${context.max} requests a minute from ${callerOf(request)}; retry in ${context.after}.`), {
            statusCode: 429,
            code: 'JG_RATE_LIMITED',
            retryAfterS: Math.ceil(context.ttl / 1000),
          }),
      },
    },
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      const key = keyOf(request);
      const now = inFlight.get(key) ?? 0;
      const max = limitsOf(request).concurrent;
      if (now >= max) {
        return reply.code(429).header('retry-after', '1').type(request.graphqlMediaType).send(errorBody('RATE_LIMITED', `${now} requests from ${callerOf(request)} are already in flight; at most ${max} at once.`, { retryAfterSeconds: 1 }));
      }
      inFlight.set(key, now + 1);
      // 'close' comes once the answer is sent or the client has gone; onResponse never comes for a
      // client that left first, and its place would stay taken until the gateway restarts.
      reply.raw.once('close', () => release(key));
    },
  };
}
