// Serves a provider with Fastify + mercurius (@mercuriusjs/federation).

import { mercuriusFederationPlugin } from '@mercuriusjs/federation';
import { contextOf, providerApp } from './provider-http.ts';
import type { ProviderDefinition, ResolverMap } from './provider.ts';
import type { Db } from './provider-store.ts';
import type { RequestLog } from './request-log.ts';
import type { RunningServer, ServeOptions } from './serve-options.ts';
import { providerExtension } from './store-updated-at.ts';

export async function serveWithMercurius(
  provider: ProviderDefinition,
  db: Db,
  { host, port, log, updatedAt, trust, countersign }: ServeOptions & { log?: RequestLog },
): Promise<RunningServer> {
  const { app, callerOf } = providerApp(provider.name, provider.typeDefs, trust, countersign);
  await app.register(mercuriusFederationPlugin, {
    schema: provider.typeDefs,
    resolvers: withMercuriusReferenceResolvers(provider.resolvers),
    context: (request) => contextOf(provider, db, callerOf(request)),
    graphiql: false,
  });
  if (updatedAt) {
    app.graphql.addHook('onResolution', async (execution) => {
      (execution as { extensions?: Record<string, unknown> }).extensions = { ...execution.extensions, ...providerExtension(updatedAt) };
    });
  }
  if (log) {
    app.addHook('preHandler', async (request) => {
      if (request.url.startsWith('/graphql')) {
        const params = (request.method === 'GET' ? request.query : request.body) as Record<string, unknown> | undefined;
        const variables = typeof params?.variables === 'string' ? JSON.parse(params.variables) : params?.variables;
        log.record({
          provider: provider.name,
          query: String(params?.query ?? ''),
          operationName: (params?.operationName as string | undefined) ?? null,
          variables: (variables as Record<string, unknown> | undefined) ?? null,
        });
      }
    });
  }
  const address = await app.listen({ host, port });
  return { url: `${address}/graphql`, close: () => app.close() };
}

/**
 * Providers write `__resolveReference(reference, context, info)` as Apollo calls it;
 * @mercuriusjs/federation calls it like a field resolver, `(reference, args, context, info)`.
 */
function withMercuriusReferenceResolvers(resolvers: ResolverMap): ResolverMap {
  return Object.fromEntries(
    Object.entries(resolvers).map(([type, fields]) => {
      const resolve = (fields as ResolverMap).__resolveReference;
      if (typeof resolve !== 'function') return [type, fields];
      return [type, { ...fields, __resolveReference: (ref: unknown, _args: unknown, context: unknown, info: unknown) => resolve(ref, context, info) }];
    }),
  );
}
