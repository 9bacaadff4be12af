// The claim on this replica's chain: a session advisory lock, held by a connection of its own for
// the trail's life. Lost with that connection (PostgreSQL restarted): taken again every 2 s; the
// primary key still keeps two writers from forking the chain meanwhile.

import type pg from 'pg';
import { driver, type TrailStore } from './postgres-trail-store.ts';

export interface ChainClaim {
  readonly held: boolean;
  /** True once held (or when the trail closed meanwhile); false when another live process holds the chain. */
  take(): Promise<boolean>;
  /** No more attempts to take it again. */
  stopRetrying(): void;
  release(): Promise<void>;
}

/** A connection of its own that holds the chain's lock, or undefined when another process holds it. */
async function lockChain(store: TrailStore): Promise<pg.Client | undefined> {
  const client = new (driver().Client)({
    connectionString: store.connectionString, connectionTimeoutMillis: store.timeoutMs, query_timeout: store.timeoutMs,
    // Named, for an operator reading pg_stat_activity: which replica holds which chain.
    application_name: `jointgraph chain ${store.replica}`.slice(0, 63),
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const taken = (await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS taken', [`jointgraph-audit-chain:${store.s}`, store.replica])).rows[0].taken === true;
    if (taken) return client;
    await client.end();
    return undefined;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

export function chainClaim(store: TrailStore): ChainClaim {
  let claim: pg.Client | undefined;
  let reclaim: NodeJS.Timeout | undefined;
  const take = async (): Promise<boolean> => {
    const client = await lockChain(store);
    if (!client) return false;
    if (store.closed) {
      await client.end().catch(() => undefined);
      return true;
    }
    claim = client;
    client.on('end', () => {
      if (claim !== client || store.closed) return;
      claim = undefined;
      reclaimLater();
    });
    return true;
  };
  const reclaimLater = () => {
    reclaim = setTimeout(async () => {
      const taken = await take().catch(() => undefined);
      if (taken === false) console.error(`audit chain ${store.replica} in schema ${store.s} is now held by another live process: two replicas share one JG_REPLICA_ID`);
      if (!claim && !store.closed) reclaimLater();
    }, 2_000).unref();
  };
  return {
    get held() {
      return claim !== undefined;
    },
    take,
    stopRetrying: () => clearTimeout(reclaim),
    release: async () => {
      await claim?.end().catch(() => undefined);
    },
  };
}
