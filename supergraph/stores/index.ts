// What the PostgreSQL stores share: the connection (pool, migrations, change feed), the in-memory
// mirror every store keeps, and the error a store out of reach raises.
export { openMirror } from './mirror.ts';
export { openPostgres, shown, type Postgres, type PostgresSettings } from './postgres.ts';
export { serially } from './serially.ts';
export { storeUnavailable, StoreUnavailableError, unreachable } from './store-unavailable.ts';
