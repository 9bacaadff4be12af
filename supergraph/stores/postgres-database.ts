// The control plane on PostgreSQL, shared by gateway replicas: its schema migrated at start (under
// the migrator's advisory lock, so replicas starting at once run each migration once), one bounded
// pool for the stores, and the change feed their writes announce themselves on (NOTIFY, sent in
// the writing transaction, so it leaves at commit and only then).

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { CHANGES_CHANNEL, openChangeFeed, type ChangeFeed } from './change-feed.ts';
import type { Database } from './database.ts';
import { controlPlaneMigrations } from './schema/migrations.ts';
import { storeUnavailable, unreachable } from './store-unavailable.ts';
import type { Tables } from './tables.ts';

// Required when a PostgreSQL store opens: a gateway on SQLite does not load the driver at start.
const driver = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

export interface PostgresSettings {
  /** postgres://user@host:port/database */
  url: string;
  /** The schema the stores' tables live in (created when missing). */
  schema: string;
  /** Connections the pool opens at most (the change feed holds one more). */
  maxConnections?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const AT_START = 'the gateway does not start without its shared state: start PostgreSQL, or correct stores.postgres (JG_POSTGRES_URL)';
/** A migration may wait for another replica's: longer than a request's statement. */
const MIGRATION_TIMEOUT_MS = 60_000;

/** Where the store is, for messages: never the password. */
export function shown(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

function connectionOf(settings: PostgresSettings): pg.ClientConfig {
  return {
    connectionString: settings.url,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 3_000,
    application_name: 'jointgraph',
    options: `-c search_path=${driver().escapeIdentifier(settings.schema)}`,
  };
}

/**
 * A connection lost, idle or in use, is reported, not thrown: pg emits 'error' on the client, and
 * the pool listens only while it is idle, so one lost mid-transaction would end the process. The
 * statement in flight fails on its own (STORE_UNAVAILABLE); the next checkout opens another.
 */
function guarded(pool: pg.Pool, onError: (error: Error) => void): pg.Pool {
  pool.on('error', onError);
  pool.on('connect', (client) => void client.on('error', onError));
  return pool;
}

/** Creates the schema when missing and migrates it, on a connection of its own. */
async function migrate(settings: PostgresSettings): Promise<void> {
  const pool = guarded(new (driver().Pool)({ ...connectionOf(settings), max: 1, statement_timeout: MIGRATION_TIMEOUT_MS }), () => undefined);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Two replicas creating the schema at once: the loser finds it there.
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(settings.schema)}`.execute(db).catch(async (error: { code?: string }) => {
      if (error.code !== '23505' && error.code !== '42P06') throw error;
    });
    const migrator = new Migrator({
      db,
      provider: controlPlaneMigrations('postgres'),
      migrationTableSchema: settings.schema,
      migrationTableName: 'control_plane_schema',
      migrationLockTableName: 'control_plane_schema_lock',
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

export async function openPostgresDatabase(settings: PostgresSettings, onError: (error: Error) => void = () => undefined): Promise<Database> {
  const where = shown(settings.url);
  const statementTimeoutMs = settings.statementTimeoutMs ?? 5_000;
  const reachable = <T>(work: Promise<T>, what?: string) => work.catch((error: unknown) => {
    throw unreachable(error) ? storeUnavailable(where, error, what) : error;
  });
  await reachable(migrate(settings), AT_START);
  const pool = guarded(new (driver().Pool)({
    ...connectionOf(settings),
    max: settings.maxConnections ?? 10,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
  }), onError);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const origin = randomUUID();
  let feed: ChangeFeed;
  try {
    feed = await reachable(openChangeFeed(connectionOf(settings), origin, onError), AT_START);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  return {
    dialect: 'postgres',
    read: (work) => reachable(work(db)),
    write: (change, work) =>
      reachable(db.transaction().execute(async (trx) => {
        const result = await work(trx);
        await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ ...change, origin })})`.execute(trx);
        return result;
      })),
    feed,
    async close() {
      await feed.close();
      await db.destroy();
    },
  };
}
