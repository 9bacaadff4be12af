// Opens a provider's store and serves it with the server library the provider chose.

import { join } from 'node:path';
import type { CitySize } from '../synthetic/index.ts';
import type { ProviderDefinition } from './provider.ts';
import { openProviderStore, storeFile, type Db } from './provider-store.ts';
import { storeUpdatedAt } from './store-updated-at.ts';
import type { RequestLog } from './request-log.ts';
import { withRowScope } from './row-scope.ts';
import { serveWithApollo } from './serve-apollo.ts';
import { serveWithMercurius } from './serve-mercurius.ts';
import type { ServeOptions } from './serve-options.ts';

export interface StartProviderOptions extends ServeOptions {
  dataDir: string;
  city: CitySize;
  log?: RequestLog;
}

export interface RunningProvider {
  name: string;
  url: string;
  /** The provider's own store, for its operators (and for tests that change a value). */
  db: Db;
  close(): Promise<void>;
}

export async function startProvider(provider: ProviderDefinition, options: StartProviderOptions): Promise<RunningProvider> {
  const db = openProviderStore(provider.name, provider.store, options);
  const serve = provider.server === 'mercurius' ? serveWithMercurius : serveWithApollo;
  // A provider that verifies its callers also keeps district-limited calls to their district, and
  // remembers the assertions it accepted in its own folder, across restarts.
  const scoped = options.trust ? { ...provider, resolvers: withRowScope(provider.typeDefs, provider.resolvers) } : provider;
  const trust = options.trust && { ...options.trust, replayFile: options.trust.replayFile ?? join(options.dataDir, 'assertions', `${provider.name}.db`) };
  const server = await serve(scoped, db, { ...options, ...(trust ? { trust } : {}), updatedAt: storeUpdatedAt(storeFile(provider.name, options)) });
  return {
    name: provider.name,
    url: server.url,
    db,
    async close() {
      await server.close();
      db.close();
    },
  };
}
