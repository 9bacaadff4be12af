// Serves a provider with @apollo/server + @apollo/subgraph.

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { ASSERTION_HEADER, callerVerifier } from './caller-trust.ts';
import type { ProviderDefinition } from './provider.ts';
import type { Db } from './provider-store.ts';
import type { RequestLog } from './request-log.ts';
import type { RunningServer, ServeOptions } from './serve-options.ts';
import { providerExtension } from './store-updated-at.ts';

export async function serveWithApollo(
  provider: ProviderDefinition,
  db: Db,
  { host, port, log, updatedAt, trust }: ServeOptions & { log?: RequestLog },
): Promise<RunningServer> {
  const verify = trust ? callerVerifier(provider.name, trust) : undefined;
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
    context: async ({ req }) => {
      if (!verify) return provider.createContext(db);
      const check = await verify(req.headers[ASSERTION_HEADER]);
      if (!check.ok) throw new GraphQLError(check.message, { extensions: { code: check.code, http: { status: check.status } } });
      return { ...provider.createContext(db), caller: check.assertion };
    },
  });
  return {
    url: new URL('/graphql', url).href,
    async close() {
      await server.stop();
      await verify?.close();
    },
  };
}
