// Batch functions for dataloader: one SQL statement per batch, whatever the batch size.
// Keys travel as one JSON array parameter (json_each), so no statement hits SQLite's variable limit.

import type { Statement } from 'better-sqlite3';
import type { Db } from './provider-store.ts';

type Row = Record<string, unknown>;

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A statement prepared once per store: contexts are built per request, statements are not. */
export function prepared(db: Db, sql: string): Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let statement = byText.get(sql);
  if (!statement) byText.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** For `SELECT … WHERE key IN (SELECT value FROM json_each(?))`: one row (or null) per key. */
export function oneByKey<R extends Row>(db: Db, sql: string, keyColumn: string) {
  const statement = prepared(db, sql);
  return async (keys: readonly string[]): Promise<(R | null)[]> => {
    const byKey = new Map<unknown, R>();
    for (const row of statement.all(JSON.stringify(keys)) as R[]) byKey.set(row[keyColumn], row);
    return keys.map((key) => byKey.get(key) ?? null);
  };
}

/** For one-to-many lookups: every key gets the (possibly empty) list of its rows. */
export function manyByKey<R extends Row>(db: Db, sql: string, keyColumn: string) {
  const statement = prepared(db, sql);
  return async (keys: readonly string[]): Promise<R[][]> => {
    const byKey = new Map<unknown, R[]>();
    for (const row of statement.all(JSON.stringify(keys)) as R[]) {
      const list = byKey.get(row[keyColumn]);
      if (list) list.push(row);
      else byKey.set(row[keyColumn], [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  };
}
