// The executable gateway schema: the supergraph, stitched by @graphql-tools/federation, with
// one HTTP executor per provider.

import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import type { GraphQLSchema } from 'graphql';
import { withCache, type CachingOptions } from '../cache/index.ts';
import type { SubgraphEntry } from '../config/index.ts';
import { scopeLoadersToRequest } from './request-scope.ts';
import { supergraphGraphs } from './supergraph-graphs.ts';
import { createSubgraphExecutor, type SubgraphCall } from './subgraph-executor.ts';

export interface GatewaySchemaOptions {
  supergraphSdl: string;
  /** Per-provider overrides of URL and timeout, by subgraph name. */
  subgraphs?: readonly SubgraphEntry[];
  defaultTimeoutMs: number;
  onSubgraphCall?: (call: SubgraphCall) => void;
  /** The response cache in front of every provider; none means every request asks the providers. */
  cache?: Omit<CachingOptions, 'subgraph' | 'schema'>;
}

export function buildGatewaySchema(options: GatewaySchemaOptions): GraphQLSchema {
  const overrides = new Map((options.subgraphs ?? []).map((s) => [s.name, s]));
  // graphql-tools names subschemas by their join__Graph enum value; operators use the subgraph name.
  const names = new Map(supergraphGraphs(options.supergraphSdl).map((g) => [g.graph, g.name]));
  let schema: GraphQLSchema | undefined;
  schema = getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: options.supergraphSdl,
    // Requests to one provider in the same tick go out as one (as Hive Gateway does by default).
    batch: true,
    onSubschemaConfig(config) {
      const name = names.get(config.name) ?? config.name;
      const entry = overrides.get(name);
      const executor = createSubgraphExecutor({
        name,
        url: entry?.url ?? config.endpoint,
        timeoutMs: entry?.timeoutMs ?? options.defaultTimeoutMs,
        ...(options.onSubgraphCall ? { onCall: options.onSubgraphCall } : {}),
      });
      // The cache reads field types from the gateway schema, which exists once stitching is done.
      config.executor = options.cache ? withCache(executor, { ...options.cache, subgraph: name, get schema() { return schema!; } }) : executor;
    },
  });
  return scopeLoadersToRequest(schema);
}
