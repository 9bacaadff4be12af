// Apps, keys and admin principals on PostgreSQL, shared by replicas. The tables are small, so
// the mirror is read again whole on any change; a change by another replica reaches the app
// registry through `onChange` (mergeAppStore merges again), before that replica's next request.

import { openMirror, type Postgres } from '../stores/index.ts';
import type { AppEntry } from './app-registry.ts';
import type { AppStore, KeyRetirement, PrincipalRemoval, StoredKey } from './app-store.ts';
import type { Principal } from './principal.ts';

interface Tables {
  apps: Omit<AppEntry, 'apiKeys'>[];
  keys: StoredKey[];
  retirements: KeyRetirement[];
  principals: Principal[];
  removals: PrincipalRemoval[];
}

export async function openPostgresAppStore(pg: Postgres): Promise<AppStore> {
  let tables: Tables = { apps: [], keys: [], retirements: [], principals: [], removals: [] };
  const loadAll = async () => {
    const [apps, keys, retirements, principals, removals] = await Promise.all([
      pg.query<{ entry: Omit<AppEntry, 'apiKeys'> }>('SELECT entry FROM app ORDER BY created_at, id'),
      pg.query<StoredKey>('SELECT app_id AS "appId", key_id AS id, sha256 FROM app_key ORDER BY created_at, key_id'),
      pg.query<KeyRetirement>('SELECT sha256, not_after AS "notAfter" FROM key_retirement'),
      pg.query<{ entry: Principal }>('SELECT entry FROM principal ORDER BY party, id'),
      pg.query<PrincipalRemoval>('SELECT party, id FROM principal_removal'),
    ]);
    tables = { apps: apps.map((r) => r.entry), keys, retirements, principals: principals.map((r) => r.entry), removals };
  };
  const mirror = await openMirror(pg, 'apps', { loadAll, reload: loadAll });
  const write = async (id: string, statements: [string, unknown[]][]) => {
    await pg.write({ store: 'apps', id }, async (client) => {
      for (const [text, values] of statements) await client.query(text, values);
    });
    await mirror.written(id);
  };

  return {
    apps: () => tables.apps,
    keys: () => tables.keys,
    retirements: () => tables.retirements,
    principals: () => tables.principals,
    principalRemovals: () => tables.removals,
    insertApp: (app, at, by) => write(app.appId, [['INSERT INTO app (id, entry, created_at, created_by) VALUES ($1, $2, $3, $4)', [app.appId, JSON.stringify(app), at, by]]]),
    insertKey: (key, at, by) =>
      write(key.appId, [['INSERT INTO app_key (app_id, key_id, sha256, created_at, created_by) VALUES ($1, $2, $3, $4, $5)', [key.appId, key.id, key.sha256, at, by]]]),
    // A key retired twice keeps the earlier end: a revocation never extends a rotation's grace.
    retire: (key, notAfter, at, by) =>
      write(key.appId, [[
        `INSERT INTO key_retirement (sha256, app_id, key_id, not_after, retired_at, retired_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sha256) DO UPDATE SET not_after = LEAST(key_retirement.not_after, excluded.not_after), retired_at = excluded.retired_at, retired_by = excluded.retired_by`,
        [key.sha256, key.appId, key.id, notAfter, at, by],
      ]]),
    // A principal created again after a removal is live again.
    savePrincipal: (p, at, by) =>
      write(`${p.party}/${p.id}`, [
        ['DELETE FROM principal_removal WHERE party = $1 AND id = $2', [p.party, p.id]],
        [
          `INSERT INTO principal (party, id, entry, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (party, id) DO UPDATE SET entry = excluded.entry, saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
          [p.party, p.id, JSON.stringify(p), at, by],
        ],
      ]),
    removePrincipal: (r, at, by) =>
      write(`${r.party}/${r.id}`, [
        ['DELETE FROM principal WHERE party = $1 AND id = $2', [r.party, r.id]],
        [
          `INSERT INTO principal_removal (party, id, removed_at, removed_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (party, id) DO UPDATE SET removed_at = excluded.removed_at, removed_by = excluded.removed_by`,
          [r.party, r.id, at, by],
        ],
      ]),
    onChange: mirror.onChange,
    close: () => undefined,
  };
}
