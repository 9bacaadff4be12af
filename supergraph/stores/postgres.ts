// PostgreSQL shared by gateway replicas: its schema migrated at start (node-pg-migrate, under its
// advisory lock, so replicas starting at once run each migration once), one bounded pool for the
// control-plane stores, and the change feed their writes announce themselves on.

import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createRequire } from 'node:module';

// Required when a PostgreSQL store opens: a gateway on SQLite does not load the driver at start.
const driver = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;
import { CHANGES_CHANNEL, openChangeFeed, type Change, type ChangeFeed } from './change-feed.ts';
import { storeUnavailable, unreachable } from './store-unavailable.ts';

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

export interface Postgres {
  /** Reads outside a write: loading a store's mirror. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction that also announces `change`: the event leaves at commit, and only then. */
  write<T>(change: Change, work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  feed: ChangeFeed;
  close(): Promise<void>;
}

const AT_START = 'the gateway does not start without its shared state: start PostgreSQL, or correct stores.postgres (JG_POSTGRES_URL)';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Where the store is, for messages: never the password. */
export function shown(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

export async function openPostgres(settings: PostgresSettings, onError: (error: Error) => void = () => undefined): Promise<Postgres> {
  const where = shown(settings.url);
  const connectTimeoutMs = settings.connectTimeoutMs ?? 3_000;
  const statementTimeoutMs = settings.statementTimeoutMs ?? 5_000;
  const connection: pg.ClientConfig = {
    connectionString: settings.url,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'jointgraph',
    options: `-c search_path=${driver().escapeIdentifier(settings.schema)}`,
  };
  try {
    // Loaded only here: a gateway on SQLite does not pay for the migration tool at start.
    const { runner } = await import('node-pg-migrate');
    await runner({
      databaseUrl: { ...connection, statement_timeout: 60_000 },
      schema: settings.schema,
      createSchema: true,
      migrationsTable: 'control_plane_migrations',
      dir: MIGRATIONS_DIR,
      direction: 'up',
      // Another replica migrating: wait for it, then find nothing left to run.
      advisoryLockMode: 'wait',
      singleTransaction: true,
      log: () => undefined,
    });
  } catch (error) {
    throw unreachable(error) ? storeUnavailable(where, error, AT_START) : error;
  }
  const pool = new (driver().Pool)({
    ...connection,
    max: settings.maxConnections ?? 10,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
  });
  pool.on('error', onError); // an idle connection lost: the next checkout opens another
  const origin = randomUUID();
  let feed: ChangeFeed;
  try {
    feed = await openChangeFeed(connection, origin, onError);
  } catch (error) {
    await pool.end();
    throw unreachable(error) ? storeUnavailable(where, error, AT_START) : error;
  }

  return {
    async query(text, values) {
      try {
        return (await pool.query(text, values)).rows;
      } catch (error) {
        throw unreachable(error) ? storeUnavailable(where, error) : error;
      }
    },
    async write(change, work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw storeUnavailable(where, error);
      }
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ ...change, origin })]);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: Error) => void (broken = e));
        if (!unreachable(error)) throw error;
        broken = error as Error;
        throw storeUnavailable(where, error);
      } finally {
        client.release(broken);
      }
    },
    feed,
    async close() {
      await feed.close();
      await pool.end();
    },
  };
}
