// The control-plane stores, migrated and loaded into memory before the gateway opens: a SQLite file
// in the state folder (control-plane.db) by default, or PostgreSQL shared by replicas
// (stores.postgres). Either way each store is the one implementation over the same tables, kept
// current by the change feed when another process writes.

import { join } from 'node:path';
import { openDemandStore, type DemandStore } from '../supergraph/demands/index.ts';
import { openGrantStore, type GrantStore } from '../supergraph/grants/index.ts';
import { openSharedOverlay, type SharedOverlay } from '../supergraph/labels/index.ts';
import { openAppStore, type AppStore } from '../supergraph/identity/index.ts';
import { openNotificationStore, type NotificationStore } from '../supergraph/notifications/index.ts';
import { openObjectionStore, type ObjectionStore } from '../supergraph/objections/index.ts';
import { openOperationStore, type OperationStore } from '../supergraph/operations/index.ts';
import { openRegistryStore, type RegistryStore } from '../supergraph/registry/index.ts';
import { openPostgresDatabase, openSqliteDatabase, type Database, type PostgresSettings } from '../supergraph/stores/index.ts';

export interface ControlPlane {
  database: Database;
  grants: GrantStore;
  apps: AppStore;
  registry: RegistryStore;
  objections: ObjectionStore;
  operations: OperationStore;
  demands: DemandStore;
  notifications: NotificationStore;
  /** Replicas only: the label overlay loaded last through any of them (a single gateway reads its file). */
  labels?: SharedOverlay;
  close(): Promise<void>;
}

export interface ControlPlaneSettings {
  stateDir: string;
  postgres?: PostgresSettings;
}

export const CONTROL_PLANE_FILE = 'control-plane.db';

/** Rejects with STORE_UNAVAILABLE when PostgreSQL does not answer: a replica does not start without its shared state. */
export async function openControlPlane(settings: ControlPlaneSettings, onError: (error: Error) => void): Promise<ControlPlane> {
  const database = settings.postgres
    ? await openPostgresDatabase(settings.postgres, onError)
    : await openSqliteDatabase({ file: join(settings.stateDir, CONTROL_PLANE_FILE) }, onError);
  try {
    const [grants, apps, registry, objections, operations, demands, notifications, labels] = await Promise.all([
      openGrantStore(database),
      openAppStore(database),
      openRegistryStore(database),
      openObjectionStore(database),
      openOperationStore(database),
      openDemandStore(database),
      openNotificationStore(database),
      settings.postgres ? openSharedOverlay(database) : undefined,
    ]);
    return { database, grants, apps, registry, objections, operations, demands, notifications, ...(labels ? { labels } : {}), close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
