// Where the apps and keys the operator manages live are kept (`apps.db` in the state folder):
// apps created through the admin endpoint, the digests of the keys issued to them, and the
// retirements (rotation, revocation) of any key, one from apps.json included. Never a key itself.
// Replicas share PostgreSQL instead (postgres-app-store.ts). Reads are synchronous; writes resolve once stored.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppEntry, AppRegistry } from './app-registry.ts';
import type { Principal } from './principal.ts';

export interface StoredKey {
  appId: string;
  id: string;
  sha256: string;
}

export interface KeyRetirement {
  sha256: string;
  /** ISO instant from which the key is refused. */
  notAfter: string;
}

/** A principal removed: by `party/id`, whether the operator's file or the store listed it. */
export interface PrincipalRemoval {
  party: string;
  id: string;
}

export interface AppStore {
  apps(): Omit<AppEntry, 'apiKeys'>[];
  keys(): StoredKey[];
  retirements(): KeyRetirement[];
  insertApp(app: Omit<AppEntry, 'apiKeys'>, at: string, by: string): Promise<void>;
  insertKey(key: StoredKey, at: string, by: string): Promise<void>;
  retire(key: StoredKey, notAfter: string, at: string, by: string): Promise<void>;
  /** Principals created through the admin endpoint, with the digest of their current token. */
  principals(): Principal[];
  /** Principals removed (from the file's list or the store's). */
  principalRemovals(): PrincipalRemoval[];
  /** Creates the principal, or gives a stored one a new token digest. */
  savePrincipal(principal: Principal, at: string, by: string): Promise<void>;
  removePrincipal(removal: PrincipalRemoval, at: string, by: string): Promise<void>;
  /** Told when the shared store changed, through this replica or another (a store shared by replicas only). */
  onChange?(listener: () => void): void;
  close(): void;
}

const DDL = `
  CREATE TABLE IF NOT EXISTS app (
    id VARCHAR(128) PRIMARY KEY, entry TEXT NOT NULL, created_at VARCHAR(32) NOT NULL, created_by VARCHAR(256) NOT NULL
  );
  CREATE TABLE IF NOT EXISTS app_key (
    app_id VARCHAR(128) NOT NULL, key_id VARCHAR(64) NOT NULL, sha256 CHAR(64) NOT NULL UNIQUE,
    created_at VARCHAR(32) NOT NULL, created_by VARCHAR(256) NOT NULL, PRIMARY KEY (app_id, key_id)
  );
  CREATE TABLE IF NOT EXISTS key_retirement (
    sha256 CHAR(64) PRIMARY KEY, app_id VARCHAR(128) NOT NULL, key_id VARCHAR(64) NOT NULL,
    not_after VARCHAR(32) NOT NULL, retired_at VARCHAR(32) NOT NULL, retired_by VARCHAR(256) NOT NULL
  );
  CREATE TABLE IF NOT EXISTS principal (
    party VARCHAR(128) NOT NULL, id VARCHAR(128) NOT NULL, entry TEXT NOT NULL,
    saved_at VARCHAR(32) NOT NULL, saved_by VARCHAR(256) NOT NULL, PRIMARY KEY (party, id)
  );
  CREATE TABLE IF NOT EXISTS principal_removal (
    party VARCHAR(128) NOT NULL, id VARCHAR(128) NOT NULL,
    removed_at VARCHAR(32) NOT NULL, removed_by VARCHAR(256) NOT NULL, PRIMARY KEY (party, id)
  );
`;

export function openSqliteAppStore(file: string): AppStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(DDL);
  const selectApps = db.prepare('SELECT entry FROM app ORDER BY created_at, id').pluck();
  const selectKeys = db.prepare('SELECT app_id AS appId, key_id AS id, sha256 FROM app_key ORDER BY created_at, key_id');
  const selectRetirements = db.prepare('SELECT sha256, not_after AS notAfter FROM key_retirement');
  const insertApp = db.prepare('INSERT INTO app (id, entry, created_at, created_by) VALUES (?, ?, ?, ?)');
  const insertKey = db.prepare('INSERT INTO app_key (app_id, key_id, sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?)');
  // A key retired twice keeps the earlier end: a revocation never extends a rotation's grace.
  const retire = db.prepare(
    `INSERT INTO key_retirement (sha256, app_id, key_id, not_after, retired_at, retired_by) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (sha256) DO UPDATE SET not_after = MIN(not_after, excluded.not_after), retired_at = excluded.retired_at, retired_by = excluded.retired_by`,
  );
  const selectPrincipals = db.prepare('SELECT entry FROM principal ORDER BY party, id').pluck();
  const selectRemovals = db.prepare('SELECT party, id FROM principal_removal');
  const unremove = db.prepare('DELETE FROM principal_removal WHERE party = ? AND id = ?');
  const upsertPrincipal = db.prepare(
    `INSERT INTO principal (party, id, entry, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (party, id) DO UPDATE SET entry = excluded.entry, saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
  );
  const deletePrincipal = db.prepare('DELETE FROM principal WHERE party = ? AND id = ?');
  const insertRemoval = db.prepare('INSERT OR REPLACE INTO principal_removal (party, id, removed_at, removed_by) VALUES (?, ?, ?, ?)');
  // A principal created again after a removal is live again.
  const savePrincipal = db.transaction((p: Principal, at: string, by: string) => {
    unremove.run(p.party, p.id);
    upsertPrincipal.run(p.party, p.id, JSON.stringify(p), at, by);
  });
  const removePrincipal = db.transaction((r: PrincipalRemoval, at: string, by: string) => {
    deletePrincipal.run(r.party, r.id);
    insertRemoval.run(r.party, r.id, at, by);
  });
  return {
    apps: () => (selectApps.all() as string[]).map((entry) => JSON.parse(entry)),
    keys: () => selectKeys.all() as StoredKey[],
    retirements: () => selectRetirements.all() as KeyRetirement[],
    insertApp: async (app, at, by) => void insertApp.run(app.appId, JSON.stringify(app), at, by),
    insertKey: async (key, at, by) => void insertKey.run(key.appId, key.id, key.sha256, at, by),
    retire: async (key, notAfter, at, by) => void retire.run(key.sha256, key.appId, key.id, notAfter, at, by),
    principals: () => (selectPrincipals.all() as string[]).map((entry) => JSON.parse(entry)),
    principalRemovals: () => selectRemovals.all() as PrincipalRemoval[],
    savePrincipal: async (principal, at, by) => savePrincipal(principal, at, by),
    removePrincipal: async (removal, at, by) => removePrincipal(removal, at, by),
    close: () => db.close(),
  };
}

/**
 * Merges the store over the file's registry: its apps beside (or over) the file's, its keys, its
 * retirements; its principals beside (or over) the file's, less the removed ones. A store shared
 * by replicas is merged again over the file, in place, whenever it changes through any replica,
 * so that the next request sees the change.
 */
export function mergeAppStore(registry: AppRegistry, store: AppStore): AppRegistry {
  const file = structuredClone({ apps: registry.apps, principals: registry.principals });
  store.onChange?.(() => {
    const merged = mergeOver({ ...registry, ...structuredClone(file) }, store);
    registry.apps.clear();
    for (const [id, app] of merged.apps) registry.apps.set(id, app);
    registry.principals = merged.principals;
  });
  return mergeOver(registry, store);
}

function mergeOver(registry: AppRegistry, store: AppStore): AppRegistry {
  const removed = new Set(store.principalRemovals().map((r) => `${r.party}/${r.id}`));
  const stored = store.principals();
  const replaced = new Set(stored.map((p) => `${p.party}/${p.id}`));
  registry.principals = [...registry.principals.filter((p) => !removed.has(`${p.party}/${p.id}`) && !replaced.has(`${p.party}/${p.id}`)), ...stored];
  for (const app of store.apps()) registry.apps.set(app.appId, { ...app, apiKeys: registry.apps.get(app.appId)?.apiKeys ?? [] });
  for (const { appId, id, sha256 } of store.keys()) registry.apps.get(appId)?.apiKeys.push({ id, sha256 });
  const retired = new Map(store.retirements().map((r) => [r.sha256, Date.parse(r.notAfter)]));
  for (const app of registry.apps.values()) {
    for (const key of app.apiKeys) if (retired.has(key.sha256)) key.notAfter = retired.get(key.sha256)!;
  }
  registry.store = store;
  return registry;
}
