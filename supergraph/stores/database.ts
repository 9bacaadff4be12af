// The control plane's database: one description of the tables and one set of migrations for
// SQLite (the embedded default, a file in the state folder) and PostgreSQL (shared by replicas).
// Every store is written once against this; the dialects differ only in how a write is
// serialised and announced to the other processes (BEGIN IMMEDIATE and a change table polled on
// SQLite; a transaction and NOTIFY on PostgreSQL).

import type { Kysely } from 'kysely';
import type { Change, ChangeFeed } from './change-feed.ts';
import type { Dialect } from './schema/migrations.ts';
import type { Tables } from './tables.ts';

export interface Database {
  readonly dialect: Dialect;
  /** Reads outside a write: loading a store's mirror. */
  read<T>(work: (db: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction that also announces `change`: the event leaves at commit, and only then. */
  write<T>(change: Change, work: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** Changes made by other processes on the same database. */
  feed: ChangeFeed;
  close(): Promise<void>;
}

/** The rows an UPDATE or DELETE changed, whichever dialect ran it. */
export const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
