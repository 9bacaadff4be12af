// Batch functions for dataloader: one SQL statement per batch, whatever the batch size.
// Keys travel as one JSON array parameter (json_each), so no statement hits SQLite's variable limit:
// `?` for a statement of keys alone, `@keys` beside named parameters (`bind`, e.g. a district).

import type { Statement } from 'better-sqlite3';
import type DataLoader from 'dataloader';
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

function rowsOf(statement: Statement, bind: Record<string, unknown> | undefined) {
  return (keys: readonly string[]) => (bind ? statement.all({ ...bind, keys: JSON.stringify(keys) }) : statement.all(JSON.stringify(keys)));
}

/** For `SELECT … WHERE key IN (SELECT value FROM json_each(?))`: one row (or null) per key. */
export function oneByKey<R extends Row>(db: Db, sql: string, keyColumn: string, bind?: Record<string, unknown>) {
  const all = rowsOf(prepared(db, sql), bind);
  return async (keys: readonly string[]): Promise<(R | null)[]> => {
    const byKey = new Map<unknown, R>();
    for (const row of all(keys) as R[]) byKey.set(row[keyColumn], row);
    return keys.map((key) => byKey.get(key) ?? null);
  };
}

/** For one-to-many lookups: every key gets the (possibly empty) list of its rows. */
export function manyByKey<R extends Row>(db: Db, sql: string, keyColumn: string, bind?: Record<string, unknown>) {
  const all = rowsOf(prepared(db, sql), bind);
  return async (keys: readonly string[]): Promise<R[][]> => {
    const byKey = new Map<unknown, R[]>();
    for (const row of all(keys) as R[]) {
      const list = byKey.get(row[keyColumn]);
      if (list) list.push(row);
      else byKey.set(row[keyColumn], [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  };
}

/**
 * One dataloader per district a request's fields are kept to (null: not kept), so each field's
 * rows are read with its own district filter while fields kept alike share one batch.
 */
export function perDistrict<K, V>(make: (district: string | null) => DataLoader<K, V>): (district: string | null) => DataLoader<K, V> {
  const loaders = new Map<string | null, DataLoader<K, V>>();
  return (district) => {
    let loader = loaders.get(district);
    if (!loader) loaders.set(district, (loader = make(district)));
    return loader;
  };
}
