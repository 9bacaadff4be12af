// Reading the PostgreSQL trail: searches across every replica's chain, recipients, and whether an
// app received a value. On the readers' pool, so an auditor's slow search never holds up a record.

import type { AuditSearch } from './audit-log.ts';
import { parseReplicaCheckpoint, type ReplicaCheckpoint, type ReplicaRecord } from './replica-chains.ts';
import { fromRow, type Row } from './postgres-rows.ts';
import type { TrailStore } from './postgres-trail-store.ts';

/** Where a page of search results ends: records from several chains are ordered by time, then replica, then seq. */
export interface SearchCursor {
  at: string;
  replica: string;
  seq: number;
}

/** The SQLite trail's search, with a cursor across chains in place of `beforeSeq`. */
export type PostgresAuditSearch = Omit<AuditSearch, 'beforeSeq'> & { before?: SearchCursor | null };

export function trailReads(store: TrailStore) {
  const { s, reads, ready } = store;
  // A record a WITHHELD record (of the same chain) withdraws was never received: its answer did not leave.
  const delivered = `NOT EXISTS (SELECT 1 FROM ${s}.audit_record w WHERE w.replica_id = r.replica_id AND w.withholds = r.seq)`;
  const select = async (where: string, order: string, params: unknown[]) => {
    await ready();
    return ((await reads.query(`SELECT * FROM ${s}.audit_record r WHERE ${where} ORDER BY ${order}`, params)).rows as Row[]).map(fromRow);
  };
  const exists = async (where: string, params: unknown[]) => {
    await ready();
    return (await reads.query(`SELECT 1 FROM ${s}.audit_record r WHERE ${where} AND ${delivered} LIMIT 1`, params)).rowCount! > 0;
  };
  // One statement for every search: a part left null matches everything (each is planned with its values).
  const search = (q: PostgresAuditSearch): Promise<ReplicaRecord[]> =>
    select(
      `($1::text IS NULL OR app_id = $1) AND ($2::text IS NULL OR purpose = $2 OR purpose LIKE $3) AND ($4::text IS NULL OR request_id = $4)
       AND ($5::text IS NULL OR at >= $5) AND ($6::text IS NULL OR at <= $6)
       AND ($7::text IS NULL OR returned @> ARRAY[$7::text]) AND ($8::text IS NULL OR providers @> ARRAY[$8::text])
       AND ($9::text IS NULL OR (at, replica_id, seq) < ($9, $10, $11))`,
      'at DESC, replica_id DESC, seq DESC LIMIT $12',
      [
        q.appId ?? null, q.purpose ?? null, q.purpose ? `${q.purpose.replace(/[\\%_]/g, (c) => `\\${c}`)}/%` : null, q.requestId ?? null,
        q.from ?? null, q.to ?? null, q.coordinate ?? null, q.provider ?? null, q.before?.at ?? null, q.before?.replica ?? null, q.before?.seq ?? null, q.limit,
      ],
    );
  return {
    search,
    recent: (limit: number, appId: string | null = null) => search({ limit, appId }),
    recipients: (coordinate: string, from = '0000', to = '9999') =>
      select(`returned @> ARRAY[$1::text] AND at >= $2 AND at <= $3 AND ${delivered}`, 'at, replica_id, seq', [coordinate, from, to]),
    received: (appId: string, coordinate: string) => exists('app_id = $1 AND returned @> ARRAY[$2::text]', [appId, coordinate]),
    receivedValue: (appId: string, digest: string) => exists('app_id = $1 AND value_digests @> ARRAY[$2::text]', [appId, digest]),
    checkpointsAfter: async (n: number, limit: number): Promise<ReplicaCheckpoint[]> => {
      await ready();
      const rows = (await reads.query(`SELECT checkpoint FROM ${s}.audit_checkpoint WHERE n > $1 ORDER BY n LIMIT $2`, [n, limit])).rows as { checkpoint: string }[];
      return rows.flatMap((r) => parseReplicaCheckpoint(r.checkpoint) ?? []);
    },
  };
}
