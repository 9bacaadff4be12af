// Opens a provider's own SQLite file, seeding it from the synthetic city on first use.
// A store is seeded into a temporary file and renamed, so a crash never leaves half a store.

import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CitySize } from '../synthetic/index.ts';

export type Db = Database.Database;

export interface StoreSpec {
  /** Bumped whenever the DDL or the seeding changes, so stale files are rebuilt. */
  version: number;
  ddl: string;
  seed(db: Db, city: CitySize): void;
}

export interface StoreLocation {
  dataDir: string;
  city: CitySize;
}

export function storeFile(provider: string, { dataDir, city }: StoreLocation): string {
  return join(dataDir, `${provider}-seed${city.seed}-p${city.persons}-e${city.enterprises}.db`);
}

export function openProviderStore(provider: string, spec: StoreSpec, location: StoreLocation): Db {
  const file = storeFile(provider, location);
  if (existsSync(file)) {
    const db = openDb(file);
    if (seededVersion(db) === spec.version) return db;
    db.close();
    rmSync(file, { force: true });
  }
  mkdirSync(location.dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(spec.ddl);
  db.exec('CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  db.transaction(() => spec.seed(db, location.city))();
  db.prepare("INSERT INTO store_meta VALUES ('version', ?)").run(String(spec.version));
  db.close();
  renameSync(tmp, file);
  return openDb(file);
}

function openDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

function seededVersion(db: Db): number | undefined {
  try {
    const row = db.prepare("SELECT value FROM store_meta WHERE key = 'version'").get() as { value: string } | undefined;
    return row ? Number(row.value) : undefined;
  } catch {
    return undefined;
  }
}
