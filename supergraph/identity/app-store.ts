// Where the apps and keys the operator manages live are kept (the control-plane database): apps
// created through the admin endpoint, the digests of the keys issued to them, and the retirements
// (rotation, revocation) of any key, one from apps.json included. Never a key itself. Kept in
// memory: reads are synchronous; writes resolve once stored, and a change by another process
// reaches the app registry through `onChange` (mergeAppStore merges again).

import { sql, type Kysely } from 'kysely';
import { openMirror, type Database, type Tables } from '../stores/index.ts';
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
  /** Told when the store changed, through this process or another. */
  onChange(listener: () => void): void;
}

/** The tables are small: the mirror is read again whole on any change. */
async function readAll(db: Kysely<Tables>) {
  const [apps, keys, retirements, principals, removals] = await Promise.all([
    db.selectFrom('app').select('entry').orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('app_key').select(['app_id as appId', 'key_id as id', 'sha256']).orderBy('created_at').orderBy('key_id').execute(),
    db.selectFrom('key_retirement').select(['sha256', 'not_after as notAfter']).execute(),
    db.selectFrom('principal').select('entry').orderBy('party').orderBy('id').execute(),
    db.selectFrom('principal_removal').select(['party', 'id']).execute(),
  ]);
  const parsed = <T>(rows: { entry: string }[]) => rows.map((r) => JSON.parse(r.entry) as T);
  return { apps: parsed<Omit<AppEntry, 'apiKeys'>>(apps), keys, retirements, principals: parsed<Principal>(principals), removals };
}

export async function openAppStore(database: Database): Promise<AppStore> {
  let tables: Awaited<ReturnType<typeof readAll>> = { apps: [], keys: [], retirements: [], principals: [], removals: [] };
  const loadAll = async () => void (tables = await database.read(readAll));
  const mirror = await openMirror(database, 'apps', { loadAll, reload: loadAll });
  const write = async (id: string, work: (trx: Kysely<Tables>) => Promise<unknown>) => {
    await database.write({ store: 'apps', id }, work);
    await mirror.written(id);
  };
  return {
    apps: () => tables.apps,
    keys: () => tables.keys,
    retirements: () => tables.retirements,
    principals: () => tables.principals,
    principalRemovals: () => tables.removals,
    insertApp: (app, at, by) => write(app.appId, (trx) => trx.insertInto('app').values({ id: app.appId, entry: JSON.stringify(app), created_at: at, created_by: by }).execute()),
    insertKey: (key, at, by) =>
      write(key.appId, (trx) => trx.insertInto('app_key').values({ app_id: key.appId, key_id: key.id, sha256: key.sha256, created_at: at, created_by: by }).execute()),
    // A key retired twice keeps the earlier end: a revocation never extends a rotation's grace.
    retire: (key, notAfter, at, by) =>
      write(key.appId, (trx) =>
        trx.insertInto('key_retirement').values({ sha256: key.sha256, app_id: key.appId, key_id: key.id, not_after: notAfter, retired_at: at, retired_by: by })
          .onConflict((oc) => oc.column('sha256').doUpdateSet({
            not_after: sql<string>`CASE WHEN key_retirement.not_after < excluded.not_after THEN key_retirement.not_after ELSE excluded.not_after END`,
            retired_at: at,
            retired_by: by,
          })).execute()),
    // A principal created again after a removal is live again.
    savePrincipal: (p, at, by) =>
      write(`${p.party}/${p.id}`, async (trx) => {
        await trx.deleteFrom('principal_removal').where('party', '=', p.party).where('id', '=', p.id).execute();
        const entry = JSON.stringify(p);
        await trx.insertInto('principal').values({ party: p.party, id: p.id, entry, saved_at: at, saved_by: by })
          .onConflict((oc) => oc.columns(['party', 'id']).doUpdateSet({ entry, saved_at: at, saved_by: by })).execute();
      }),
    removePrincipal: (r, at, by) =>
      write(`${r.party}/${r.id}`, async (trx) => {
        await trx.deleteFrom('principal').where('party', '=', r.party).where('id', '=', r.id).execute();
        await trx.insertInto('principal_removal').values({ party: r.party, id: r.id, removed_at: at, removed_by: by })
          .onConflict((oc) => oc.columns(['party', 'id']).doUpdateSet({ removed_at: at, removed_by: by })).execute();
      }),
    onChange: mirror.onChange,
  };
}

/**
 * Merges the store over the file's registry: its apps beside (or over) the file's, its keys, its
 * retirements; its principals beside (or over) the file's, less the removed ones. It is merged
 * again over the file, in place, whenever the store changes through any process, so that the next
 * request sees the change.
 */
export function mergeAppStore(registry: AppRegistry, store: AppStore): AppRegistry {
  const file = structuredClone({ apps: registry.apps, principals: registry.principals });
  store.onChange(() => {
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
