// Serves a provider with @apollo/server + @apollo/subgraph.

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { CallerAssertion } from './caller-trust.ts';
import { contextOf, providerApp } from './provider-http.ts';
import type { ProviderDefinition } from './provider.ts';
import type { Db } from './provider-store.ts';
import type { RequestLog } from './request-log.ts';
import type { RunningServer, ServeOptions } from './serve-options.ts';
import { providerExtension } from './store-updated-at.ts';

export async function serveWithApollo(
  provider: ProviderDefinition,
  db: Db,
  { host, port, log, updatedAt, trust, countersign }: ServeOptions & { log?: RequestLog },
): Promise<RunningServer> {
  const { app, callerOf } = providerApp(provider.name, provider.typeDefs, trust, countersign);
  const server = new ApolloServer<{ caller?: CallerAssertion }>({
    schema: buildSubgraphSchema({ typeDefs: parse(provider.typeDefs), resolvers: provider.resolvers }),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      fastifyApolloDrainPlugin(app),
      {
        async requestDidStart({ request }) {
          log?.record({
            provider: provider.name,
            query: request.query ?? '',
            operationName: request.operationName ?? null,
            variables: request.variables ?? null,
          });
          return {
            async willSendResponse({ response }) {
              if (updatedAt && response.body.kind === 'single') {
                response.body.singleResult.extensions = { ...response.body.singleResult.extensions, ...providerExtension(updatedAt) };
              }
            },
          };
        },
      },
    ],
  });
  await server.start();
  await app.register(fastifyApollo(server), { context: async (request) => contextOf(provider, db, callerOf(request)) });
  const address = await app.listen({ host, port });
  return {
    url: `${address}/graphql`,
    async close() {
      await app.close();
      await server.stop();
    },
  };
}
