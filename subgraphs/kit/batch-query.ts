// Batch functions for dataloader: one SQL statement per batch, whatever the batch size.
// Keys travel as one JSON array parameter (json_each), so no statement hits SQLite's variable limit.

import type { Db } from './provider-store.ts';

type Row = Record<string, unknown>;

/** For `SELECT … WHERE key IN (SELECT value FROM json_each(?))`: one row (or null) per key. */
export function oneByKey<R extends Row>(db: Db, sql: string, keyColumn: string) {
  const statement = db.prepare(sql);
  return async (keys: readonly string[]): Promise<(R | null)[]> => {
    const byKey = new Map<unknown, R>();
    for (const row of statement.all(JSON.stringify(keys)) as R[]) byKey.set(row[keyColumn], row);
    return keys.map((key) => byKey.get(key) ?? null);
  };
}

/** For one-to-many lookups: every key gets the (possibly empty) list of its rows. */
export function manyByKey<R extends Row>(db: Db, sql: string, keyColumn: string) {
  const statement = db.prepare(sql);
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
