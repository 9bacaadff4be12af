// What a provider department ships: its subgraph SDL, its store and its resolvers.
// The server (Apollo Server or mercurius) is a detail the gateway never sees.

import type { CallerAssertion } from './caller-trust.ts';
import type { Db, StoreSpec } from './provider-store.ts';

export type SubgraphServer = 'apollo' | 'mercurius';

// Resolver maps are untyped at this boundary: each server library has its own resolver types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResolverMap = Record<string, any>;

export interface ProviderDefinition<Context extends object = object> {
  /** The subgraph name used in composition, e.g. `population`. */
  name: string;
  department: string;
  server: SubgraphServer;
  typeDefs: string;
  store: StoreSpec;
  resolvers: ResolverMap;
  /**
   * Builds one request's context: fresh dataloaders over the provider's own store, kept to the
   * caller's row scope where a district-limited grant covers a field (`fieldDistrict`).
   */
  createContext(db: Db, caller?: CallerAssertion): Context;
}
