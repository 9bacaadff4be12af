// The control-plane stores replicas share on PostgreSQL (stores.postgres): migrated and loaded
// into memory before the gateway opens, kept current by the change feed. Without the setting
// each store is a SQLite file in the state folder, opened where it is used.

import { openPostgresGrantStore, type GrantStore } from '../supergraph/grants/index.ts';
import { openSharedOverlay, type SharedOverlay } from '../supergraph/labels/index.ts';
import { openPostgresAppStore, type AppStore } from '../supergraph/identity/index.ts';
import { openPostgresObjectionStore, type ObjectionStore } from '../supergraph/objections/index.ts';
import { openPostgresOperationStore, type OperationStore } from '../supergraph/operations/index.ts';
import { openPostgresRegistryStore, type RegistryStore } from '../supergraph/registry/index.ts';
import { openPostgres, type Postgres, type PostgresSettings } from '../supergraph/stores/index.ts';

export interface SharedStores {
  postgres: Postgres;
  grants: GrantStore;
  apps: AppStore;
  registry: RegistryStore;
  objections: ObjectionStore;
  operations: OperationStore;
  /** The label overlay loaded last through any replica. */
  labels: SharedOverlay;
  close(): Promise<void>;
}

/** Rejects with STORE_UNAVAILABLE when PostgreSQL does not answer: a replica does not start without its shared state. */
export async function openSharedStores(settings: PostgresSettings, onError: (error: Error) => void): Promise<SharedStores> {
  const postgres = await openPostgres(settings, onError);
  try {
    const [grants, apps, registry, objections, operations, labels] = await Promise.all([
      openPostgresGrantStore(postgres),
      openPostgresAppStore(postgres),
      openPostgresRegistryStore(postgres),
      openPostgresObjectionStore(postgres),
      openPostgresOperationStore(postgres),
      openSharedOverlay(postgres),
    ]);
    return { postgres, grants, apps, registry, objections, operations, labels, close: () => postgres.close() };
  } catch (error) {
    await postgres.close();
    throw error;
  }
}
