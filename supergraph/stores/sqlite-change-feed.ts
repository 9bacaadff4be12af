// How a process learns of another's writes to the same SQLite file: each write adds a row to
// store_change in its own transaction, and every pollMs this process asks SQLite whether any
// other connection committed since (PRAGMA data_version, read without touching the tables); only
// then are the new rows read and handed to the stores. A gap in the sequence (rows pruned before
// this process read them) makes every store read everything again.

import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeFeed, ChangeSubscriber, StoreName } from './change-feed.ts';

interface ChangeRow { seq: number; store: StoreName; id: string; origin: string }

export function openSqliteChangeFeed(sqlite: BetterSqlite3.Database, origin: string, pollMs: number, onError: (error: Error) => void): ChangeFeed {
  const subscribers = new Map<StoreName, ChangeSubscriber>();
  const since = sqlite.prepare('SELECT seq, store, id, origin FROM store_change WHERE seq > ? ORDER BY seq');
  let seen = (sqlite.prepare('SELECT COALESCE(MAX(seq), 0) FROM store_change').pluck().get() as number);
  let version = sqlite.pragma('data_version', { simple: true }) as number;

  const deliver = (store: StoreName, read: (s: ChangeSubscriber) => Promise<void>) => {
    const subscriber = subscribers.get(store);
    if (subscriber) read(subscriber).catch(onError);
  };
  const poll = () => {
    if (!sqlite.open) return;
    const now = sqlite.pragma('data_version', { simple: true }) as number;
    if (now === version) return;
    version = now;
    const rows = since.all(seen) as ChangeRow[];
    if (rows.length === 0) return;
    if (rows[0]!.seq > seen + 1 && seen > 0) {
      for (const store of subscribers.keys()) deliver(store, (s) => s.reloadAll());
    } else {
      for (const row of rows) if (row.origin !== origin) deliver(row.store, (s) => s.changed(row.id));
    }
    seen = rows.at(-1)!.seq;
  };
  const timer = setInterval(() => {
    try {
      poll();
    } catch (error) {
      onError(error as Error);
    }
  }, pollMs);
  timer.unref();
  return {
    subscribe: (store, subscriber) => void subscribers.set(store, subscriber),
    close: async () => clearInterval(timer),
  };
}
