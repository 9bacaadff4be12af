// The control plane on SQLite: one file in the state folder (control-plane.db), WAL, one
// connection per process. A write takes the file's write lock first (BEGIN IMMEDIATE, waiting up
// to busyTimeoutMs for another process's without blocking this one), records {store, id} in store_change in the same
// transaction, and other processes on the file read those rows when the file's data_version moves.

import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import type { Database } from './database.ts';
import { importLegacyFiles } from './legacy-sqlite.ts';
import { controlPlaneMigrations } from './schema/migrations.ts';
import { openSqliteChangeFeed } from './sqlite-change-feed.ts';
import type { Tables } from './tables.ts';

export interface SqliteSettings {
  /** The database file, or ':memory:'. */
  file: string;
  /** How long a write waits for another process's to end. */
  busyTimeoutMs?: number;
  /** How often other processes' changes are looked for. */
  pollMs?: number;
}

/** Changes kept for processes that read them late; one further behind reads everything again. */
const KEPT_CHANGES = 10_000;
const MIGRATION_ATTEMPTS = 5;

export async function openSqliteDatabase(settings: SqliteSettings, onError: (error: Error) => void = () => undefined): Promise<Database> {
  const memory = settings.file === ':memory:';
  if (!memory) mkdirSync(dirname(settings.file), { recursive: true });
  const created = memory || !existsSync(settings.file);
  const sqlite = new BetterSqlite3(settings.file);
  sqlite.pragma('journal_mode = WAL');
  // Waiting for another process's write lock is done here, asleep, not inside SQLite: its busy
  // handler would hold this process's event loop (and every request on it) while it waits.
  sqlite.pragma('busy_timeout = 0');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrate(db);
    if (created && !memory) importLegacyFiles(sqlite, dirname(settings.file));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const origin = randomUUID();
  const feed = openSqliteChangeFeed(sqlite, origin, settings.pollMs ?? 100, onError);
  const prune = sqlite.prepare('DELETE FROM store_change WHERE seq <= ?');

  return {
    dialect: 'sqlite',
    read: (work) => work(db),
    write: (change, work) =>
      db.connection().execute(async (connection) => {
        await beginImmediate(connection, settings.busyTimeoutMs ?? 5_000);
        try {
          const result = await work(connection);
          const { seq } = await connection.insertInto('store_change').values({ ...change, origin }).returning('seq').executeTakeFirstOrThrow();
          if (seq % 1_000 === 0) prune.run(seq - KEPT_CHANGES);
          await sql`COMMIT`.execute(connection);
          return result;
        } catch (error) {
          if (sqlite.inTransaction) await sql`ROLLBACK`.execute(connection);
          throw error;
        }
      }),
    feed,
    async close() {
      await feed.close();
      await db.destroy();
    },
  };
}

const busy = (error: unknown) => (error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true;

/** Takes the file's write lock, trying again every few milliseconds while another process holds it, for at most `waitMs`. */
async function beginImmediate(connection: Kysely<Tables>, waitMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      await sql`BEGIN IMMEDIATE`.execute(connection);
      return;
    } catch (error) {
      if (!busy(error) || Date.now() + pause > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
    }
  }
}

/** Two processes opening a new file at once: the one that loses the write lock finds the migrations done when it tries again. */
async function migrate(db: Kysely<Tables>): Promise<void> {
  const migrator = new Migrator({ db, provider: controlPlaneMigrations('sqlite'), migrationTableName: 'control_plane_schema', migrationLockTableName: 'control_plane_schema_lock' });
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    if (attempt >= MIGRATION_ATTEMPTS || !busy(error)) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}
