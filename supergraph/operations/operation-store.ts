// Trusted documents: the operations an app registered, each under the hex SHA-256 of its text.
// An app in "registered operations only" mode may run nothing else. SQLite by default, plain
// SQL; every registered operation is also kept in memory, so a data request reads no store.
// Replicas share PostgreSQL instead (postgres-operation-store.ts).

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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
  close(): void;
}

export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface Row {
  app_id: string;
  hash: string;
  operation_name: string | null;
  document: string;
  purpose: string;
  coordinates: string;
  registered_at: string;
}

const fromRow = (r: Row): RegisteredOperation => ({
  appId: r.app_id, hash: r.hash, operationName: r.operation_name, document: r.document, purpose: r.purpose, coordinates: JSON.parse(r.coordinates), registeredAt: r.registered_at,
});

export function openSqliteOperationStore(file: string): OperationStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS registered_operation (
    app_id VARCHAR(128) NOT NULL, hash CHAR(64) NOT NULL, operation_name VARCHAR(256), document TEXT NOT NULL,
    purpose VARCHAR(256) NOT NULL, coordinates TEXT NOT NULL, registered_at VARCHAR(32) NOT NULL,
    PRIMARY KEY (app_id, hash)
  );`);
  const upsert = db.prepare(`INSERT INTO registered_operation VALUES (@appId, @hash, @operationName, @document, @purpose, @coordinates, @registeredAt)
    ON CONFLICT (app_id, hash) DO UPDATE SET purpose = excluded.purpose, coordinates = excluded.coordinates, registered_at = excluded.registered_at`);
  const byApp = new Map<string, Map<string, RegisteredOperation>>();
  const keep = (o: RegisteredOperation) => (byApp.get(o.appId) ?? byApp.set(o.appId, new Map()).get(o.appId)!).set(o.hash, o);
  for (const row of db.prepare('SELECT * FROM registered_operation').iterate() as Iterable<Row>) keep(fromRow(row));
  return {
    async register(operation) {
      upsert.run({ ...operation, coordinates: JSON.stringify(operation.coordinates) });
      keep(operation);
      return operation;
    },
    find: (appId, hash) => byApp.get(appId)?.get(hash),
    list: (appId) => (appId === undefined ? [...byApp.values()] : [byApp.get(appId) ?? new Map()]).flatMap((m) => [...m.values()]),
    count: (appId) => byApp.get(appId)?.size ?? 0,
    close: () => db.close(),
  };
}
