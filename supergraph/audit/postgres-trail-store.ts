// What the parts of the PostgreSQL trail share: the schema, the two pools, the migrations run
// once, and whether the trail is closed.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

// Required when a PostgreSQL store opens: a gateway on SQLite does not load the driver at start.
export const driver = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

export interface TrailStore {
  /** The schema, checked to be an SQL identifier: it is written into the statements. */
  readonly s: string;
  readonly replica: string;
  /** Writes: records, checkpoints, decisions. */
  readonly pool: pg.Pool;
  /** Reads: searches, recipients, verification. */
  readonly reads: pg.Pool;
  /** Whether the trail created the pools (and ends them at close). */
  readonly owned: boolean;
  readonly timeoutMs: number;
  readonly connectionString: string | undefined;
  /** Resolves once the schema is migrated. */
  ready(): Promise<void>;
  closed: boolean;
}

export interface TrailStoreOptions {
  pool?: pg.Pool;
  connectionString?: string;
  schema: string;
  replicaId: string;
  maxConnections?: number;
  readConnections?: number;
  timeoutMs?: number;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Runs the trail's migrations not yet run in `schema` (creating it), on a connection closed afterwards: they move its search_path. */
async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const { runner } = await import('node-pg-migrate');
  const client = await pool.connect();
  try {
    await runner({
      dbClient: client, schema, createSchema: true, migrationsTable: 'audit_migrations', dir: MIGRATIONS_DIR, direction: 'up',
      advisoryLockMode: 'wait', singleTransaction: true, log: () => undefined,
    });
  } finally {
    client.release(true);
  }
}

export async function inTransaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed may be broken: it is closed rather than handed out again.
    client.release(failed);
  }
}

function openPool(options: TrailStoreOptions, role: string, max: number, timeoutMs: number): pg.Pool {
  const created = new (driver().Pool)({
    connectionString: options.connectionString, max, application_name: `jointgraph audit ${role} ${options.replicaId}`.slice(0, 63),
    connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs + 1_000, idleTimeoutMillis: 10_000,
  });
  // An idle connection the server drops is an 'error' on the pool; the next query reconnects. One
  // dropped while in use is an 'error' on its client, which the pool does not listen to then: the
  // query in flight fails by itself, and the event must not end the process.
  created.on('error', () => undefined);
  created.on('connect', (client) => void client.on('error', () => undefined));
  return created;
}

export function openTrailStore(options: TrailStoreOptions): TrailStore {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`Audit schema "${options.schema}" must be a lower-case SQL identifier.`);
  const timeoutMs = options.timeoutMs ?? 5_000;
  // Writes and reads on pools of their own: a read that runs to its timeout never makes an answer wait for its record.
  const pool = options.pool ?? openPool(options, 'writer', options.maxConnections ?? 2, timeoutMs);
  const reads = options.pool ?? openPool(options, 'reader', options.readConnections ?? 2, timeoutMs);

  // Migrated once, and again after a failure (PostgreSQL may come up after the gateway).
  let created: Promise<void> | undefined;
  const ready = () =>
    (created ??= migrate(pool, options.schema).catch((error) => {
      created = undefined;
      throw error;
    }));
  return {
    s: options.schema, replica: options.replicaId, pool, reads, owned: !options.pool, timeoutMs, connectionString: options.connectionString, ready, closed: false,
  };
}
