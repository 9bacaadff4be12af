// Trusted documents: the operations an app registered, each under the hex SHA-256 of its text.
// An app in "registered operations only" mode may run nothing else. Kept in the control-plane
// database and in memory (a data request reads no store), read again one by one after each
// registration, this process's or another's.

import { createHash } from 'node:crypto';
import { openMirror, type Database, type Tables } from '../stores/index.ts';

export interface RegisteredOperation {
  appId: string;
  hash: string;
  operationName: string | null;
  document: string;
  /** The purpose it was checked against when it was registered. */
  purpose: string;
  /** The schema coordinates it asks for. */
  coordinates: string[];
  registeredAt: string;
}

export interface OperationStore {
  register(operation: RegisteredOperation): Promise<RegisteredOperation>;
  /** From memory: the app's operation with that hash. */
  find(appId: string, hash: string): RegisteredOperation | undefined;
  /** One app's operations, or every app's. */
  list(appId?: string): RegisteredOperation[];
  /** Operations one app keeps at most. */
  count(appId: string): number;
}

export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const fromRow = (r: Tables['registered_operation']): RegisteredOperation => ({
  appId: r.app_id, hash: r.hash, operationName: r.operation_name, document: r.document, purpose: r.purpose, coordinates: JSON.parse(r.coordinates) as string[], registeredAt: r.registered_at,
});

/** The row's key in change events: the app, then the document's hash. */
const keyOf = (appId: string, hash: string) => JSON.stringify([appId, hash]);

export async function openOperationStore(database: Database): Promise<OperationStore> {
  const byApp = new Map<string, Map<string, RegisteredOperation>>();
  const keep = (o: RegisteredOperation) => (byApp.get(o.appId) ?? byApp.set(o.appId, new Map()).get(o.appId)!).set(o.hash, o);
  const mirror = await openMirror(database, 'operations', {
    async loadAll() {
      const rows = await database.read((db) => db.selectFrom('registered_operation').selectAll().execute());
      byApp.clear();
      for (const row of rows) keep(fromRow(row));
    },
    async reload(key) {
      const [appId, hash] = JSON.parse(key) as [string, string];
      const row = await database.read((db) => db.selectFrom('registered_operation').selectAll().where('app_id', '=', appId).where('hash', '=', hash).executeTakeFirst());
      if (row) keep(fromRow(row));
    },
  });
  return {
    async register(o) {
      const key = keyOf(o.appId, o.hash);
      const coordinates = JSON.stringify(o.coordinates);
      await database.write({ store: 'operations', id: key }, (trx) =>
        trx.insertInto('registered_operation').values({
          app_id: o.appId, hash: o.hash, operation_name: o.operationName, document: o.document, purpose: o.purpose, coordinates, registered_at: o.registeredAt,
        }).onConflict((oc) => oc.columns(['app_id', 'hash']).doUpdateSet({ purpose: o.purpose, coordinates, registered_at: o.registeredAt })).execute());
      await mirror.written(key);
      return o;
    },
    find: (appId, hash) => byApp.get(appId)?.get(hash),
    list: (appId) => (appId === undefined ? [...byApp.values()] : [byApp.get(appId) ?? new Map()]).flatMap((m) => [...m.values()]),
    count: (appId) => byApp.get(appId)?.size ?? 0,
  };
}
