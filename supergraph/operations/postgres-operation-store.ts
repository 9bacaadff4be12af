// Registered operations on PostgreSQL, shared by replicas: kept in memory (a data request reads
// no store), read again one by one after each registration, this replica's or another's.

import { openMirror, type Postgres } from '../stores/index.ts';
import type { OperationStore, RegisteredOperation } from './operation-store.ts';

const COLUMNS = `app_id AS "appId", hash, operation_name AS "operationName", document, purpose, coordinates, registered_at AS "registeredAt"`;

/** The row's key in change events: the app, then the document's hash. */
const keyOf = (appId: string, hash: string) => JSON.stringify([appId, hash]);

export async function openPostgresOperationStore(pg: Postgres): Promise<OperationStore> {
  const byApp = new Map<string, Map<string, RegisteredOperation>>();
  const keep = (o: RegisteredOperation) => (byApp.get(o.appId) ?? byApp.set(o.appId, new Map()).get(o.appId)!).set(o.hash, o);
  const mirror = await openMirror(pg, 'operations', {
    async loadAll() {
      byApp.clear();
      for (const o of await pg.query<RegisteredOperation>(`SELECT ${COLUMNS} FROM registered_operation`)) keep(o);
    },
    async reload(key) {
      const [appId, hash] = JSON.parse(key) as [string, string];
      const [row] = await pg.query<RegisteredOperation>(`SELECT ${COLUMNS} FROM registered_operation WHERE app_id = $1 AND hash = $2`, [appId, hash]);
      if (row) keep(row);
    },
  });
  return {
    async register(o) {
      const key = keyOf(o.appId, o.hash);
      await pg.write({ store: 'operations', id: key }, (client) =>
        client.query(
          `INSERT INTO registered_operation (app_id, hash, operation_name, document, purpose, coordinates, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (app_id, hash) DO UPDATE SET purpose = excluded.purpose, coordinates = excluded.coordinates, registered_at = excluded.registered_at`,
          [o.appId, o.hash, o.operationName, o.document, o.purpose, JSON.stringify(o.coordinates), o.registeredAt],
        ),
      );
      await mirror.written(key);
      return o;
    },
    find: (appId, hash) => byApp.get(appId)?.get(hash),
    list: (appId) => (appId === undefined ? [...byApp.values()] : [byApp.get(appId) ?? new Map()]).flatMap((m) => [...m.values()]),
    count: (appId) => byApp.get(appId)?.size ?? 0,
    close: () => undefined,
  };
}
