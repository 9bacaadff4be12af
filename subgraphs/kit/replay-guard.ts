// A provider's memory of the assertions it accepted, so none is accepted twice. Kept in a SQLite
// file of the provider's own: a restart (or a second process on the same folder) remembers what
// was used. Each id is kept until its assertion expires; past that the lifetime check refuses it.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LRUCache } from 'lru-cache';

export interface ReplayGuard {
  /** True the first time an id is claimed (until `expiresAtMs`), false every time after. */
  claim(jti: string, expiresAtMs: number): boolean;
  close(): void;
}

/** Expired ids are swept after this many claims. */
const SWEEP_EVERY = 1_000;

export function openReplayGuard(file: string): ReplayGuard {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS seen_assertion (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID');
  const insert = db.prepare('INSERT OR IGNORE INTO seen_assertion (jti, expires_at) VALUES (?, ?)');
  const sweep = db.prepare('DELETE FROM seen_assertion WHERE expires_at < ?');
  let claims = 0;
  return {
    claim(jti, expiresAtMs) {
      if (++claims % SWEEP_EVERY === 0) sweep.run(Date.now());
      return insert.run(jti, expiresAtMs).changes === 1;
    },
    close: () => db.close(),
  };
}

/** In memory only, for a provider without a folder of its own: forgets on restart. */
export function memoryReplayGuard(max = 100_000): ReplayGuard {
  const seen = new LRUCache<string, true>({ max, ttlAutopurge: false });
  return {
    claim(jti, expiresAtMs) {
      if (seen.has(jti)) return false;
      seen.set(jti, true, { ttl: Math.max(1, expiresAtMs - Date.now()) });
      return true;
    },
    close() {},
  };
}
