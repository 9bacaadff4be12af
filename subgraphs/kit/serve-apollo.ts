// Serves a provider with @apollo/server + @apollo/subgraph.

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { ProviderDefinition } from './provider.ts';
import type { Db } from './provider-store.ts';
import type { RequestLog } from './request-log.ts';
import type { RunningServer, ServeOptions } from './serve-options.ts';
import { providerExtension } from './store-updated-at.ts';

export async function serveWithApollo(
  provider: ProviderDefinition,
  db: Db,
  { host, port, log, updatedAt }: ServeOptions & { log?: RequestLog },
): Promise<RunningServer> {
  const server = new ApolloServer<object>({
    schema: buildSubgraphSchema({ typeDefs: parse(provider.typeDefs), resolvers: provider.resolvers }),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
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
  const { url } = await startStandaloneServer(server, {
    listen: { host, port },
    context: async () => provider.createContext(db),
  });
  return { url: new URL('/graphql', url).href, close: () => server.stop() };
}
