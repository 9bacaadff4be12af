// The decision trail on PostgreSQL: ONE chain for all replicas, each decision one transaction under
// an advisory lock, so decisions keep the order they were taken in.

import type pg from 'pg';
import { checkEnd, checkLinks, GENESIS, type ChainLink, type LinkProblem, type SignedLinks } from './chain.ts';
import { decisionHash, type Decision, type StoredDecision } from './decision-log.ts';
import { fromDecisionRow, PAGE, type DecisionRow } from './postgres-rows.ts';
import { AuditTrailUnavailable } from './postgres-trail-errors.ts';
import { inTransaction, type TrailStore } from './postgres-trail-store.ts';

export type ReplicaDecision = StoredDecision & { replica: string };

export async function decisionHead(s: string, client: pg.PoolClient | pg.Pool): Promise<ChainLink | undefined> {
  const row = (await client.query(`SELECT seq, hash FROM ${s}.decision_head WHERE id = 1`)).rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/** Commits `decision` after the chain's head; with `ifChanged`, not when the newest of its action holds the same detail. */
export async function recordDecision(store: TrailStore, decision: Decision, ifChanged: boolean): Promise<ReplicaDecision | undefined> {
  const { s, replica } = store;
  if (store.closed) throw new AuditTrailUnavailable('NOT_READY', 'The audit trail is closed.');
  try {
    await store.ready();
    return await inTransaction(store.pool, 'BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jointgraph-audit-decision:${s}`]);
      if (ifChanged) {
        const newest = await client.query(`SELECT detail FROM ${s}.decision_record WHERE action = $1 ORDER BY seq DESC LIMIT 1`, [decision.action]);
        if (newest.rowCount && newest.rows[0].detail === decision.detail) return undefined;
      }
      const last = (await decisionHead(s, client)) ?? GENESIS;
      const seq = last.seq + 1;
      const record = { ...decision, seq, prevHash: last.hash, hash: decisionHash(last.hash, { ...decision, seq }), replica };
      await client.query(
        `INSERT INTO ${s}.decision_record (seq, at, who, action, subject, coordinates, decision, reason, detail, prev_hash, hash, replica_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [seq, record.at, record.who, record.action, record.subject, record.coordinates, record.decision, record.reason, record.detail, record.prevHash, record.hash, replica],
      );
      await client.query(`INSERT INTO ${s}.decision_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, [seq, record.hash]);
      return record;
    });
  } catch (cause) {
    throw new AuditTrailUnavailable('NOT_READY', `The decision could not be recorded in PostgreSQL (${(cause as Error).message}).`, { cause });
  }
}

export async function recentDecisions(store: TrailStore, limit: number, action: string | null): Promise<ReplicaDecision[]> {
  await store.ready();
  const rows = (await store.reads.query(`SELECT * FROM ${store.s}.decision_record WHERE ($1::text IS NULL OR action = $1) ORDER BY seq DESC LIMIT $2`, [action, limit])).rows as DecisionRow[];
  return rows.map(fromDecisionRow);
}

/** The one decision chain, page by page, against what the checkpoints vouch for. */
export async function verifyDecisions(s: string, client: pg.PoolClient, links: SignedLinks): Promise<{ records: number; brokenAt?: { seq: number; problem: LinkProblem } }> {
  let last = GENESIS;
  let records = 0;
  for (;;) {
    const page = (await client.query(`SELECT * FROM ${s}.decision_record WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`, [last.seq])).rows as DecisionRow[];
    const check = checkLinks(page.map(fromDecisionRow), last, decisionHash, links);
    records += check.records;
    last = check.last;
    if (check.brokenAt) return { records, brokenAt: check.brokenAt };
    if (page.length < PAGE) break;
  }
  const brokenAt = checkEnd(last, await decisionHead(s, client), links, records === 0);
  return brokenAt ? { records, brokenAt } : { records };
}
