// What every store shares: the database (one schema and one set of migrations for SQLite and
// PostgreSQL, the change feed between processes), the in-memory mirror every store keeps, and the
// error a store out of reach raises.
export type { Change, ChangeFeed, StoreName } from './change-feed.ts';
export { changed, type Database } from './database.ts';
export { openMirror, type Mirror } from './mirror.ts';
export { openPostgresDatabase, shown, type PostgresSettings } from './postgres-database.ts';
export { controlPlaneMigrations, type Dialect } from './schema/migrations.ts';
export { serially } from './serially.ts';
export { openSqliteDatabase, type SqliteSettings } from './sqlite-database.ts';
export { storeUnavailable, StoreUnavailableError, unreachable } from './store-unavailable.ts';
export type { Tables } from './tables.ts';
