// Verifying the PostgreSQL trail: every replica's chain and the decision chain walked in one
// snapshot, against the signed checkpoints in the store and the copies kept outside it.

import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import { recordHash } from './audit-log.ts';
import { checkEnd, checkLinks, NO_LINKS, type ChainLink, type LinkProblem, type SignedLinks } from './chain.ts';
import { parseReplicaCheckpoint, replicaGenesis, replicaSignedHeads, type ReplicaCheckpoint } from './replica-chains.ts';
import { verifyDecisions } from './postgres-decision-chain.ts';
import { fromRow, PAGE, type Row } from './postgres-rows.ts';
import { inTransaction, type TrailStore } from './postgres-trail-store.ts';
import type { CheckpointProblem } from './signed-heads.ts';

export interface PostgresChainCheck {
  ok: boolean;
  records: number;
  chains: { replica: string; records: number; head: ChainLink }[];
  /** Decision records checked (the one chain replicas share). */
  decisions: number;
  brokenAt?: { replica: string; seq: number; problem: LinkProblem } | { checkpoint: number; problem: CheckpointProblem } | { decision: number; problem: LinkProblem };
  /** When checked against signed checkpoints: how many verify, and the records written after the newest. */
  checkpoints?: { count: number; after: number };
  /** The checkpoints that verify, oldest first, as read in the same snapshot: what providers' countersignatures are checked over. */
  signedCheckpoints?: ReplicaCheckpoint[];
}

type Chain = PostgresChainCheck['chains'][number];

/** The replicas with records, one index probe each rather than a scan of every record. */
async function replicasWithRecords(s: string, client: pg.PoolClient): Promise<string[]> {
  return (await client.query(
    `WITH RECURSIVE r AS (SELECT min(replica_id) AS id FROM ${s}.audit_record
       UNION ALL SELECT (SELECT min(replica_id) FROM ${s}.audit_record WHERE replica_id > r.id) FROM r WHERE r.id IS NOT NULL)
     SELECT id FROM r WHERE id IS NOT NULL`,
  )).rows.map((r) => r.id as string);
}

/** One replica's chain, page by page, against what the checkpoints vouch for and its head row. */
async function verifyChain(s: string, client: pg.PoolClient, id: string, links: SignedLinks, head: ChainLink | undefined): Promise<{ chain: Chain; brokenAt?: PostgresChainCheck['brokenAt'] }> {
  let last = replicaGenesis(id);
  let records = 0;
  let brokenAt: PostgresChainCheck['brokenAt'];
  for (;;) {
    const page = (await client.query(`SELECT * FROM ${s}.audit_record WHERE replica_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`, [id, last.seq])).rows as Row[];
    const check = checkLinks(page.map(fromRow), last, (prevHash, r) => recordHash(prevHash, r.seq, r), links);
    records += check.records;
    last = check.last;
    brokenAt = check.brokenAt && { replica: id, ...check.brokenAt };
    if (brokenAt || page.length < PAGE) break;
  }
  const end = brokenAt ? undefined : checkEnd(last, head, links, records === 0);
  if (end) brokenAt = { replica: id, ...end };
  return { chain: { replica: id, records, head: last }, ...(brokenAt ? { brokenAt } : {}) };
}

/** Walks every chain in one snapshot, against the checkpoints that `publicKey` verifies, and `copies` kept outside the store. */
export async function verifyChains(store: TrailStore, publicKey: KeyObject | undefined, copies: readonly ReplicaCheckpoint[]): Promise<PostgresChainCheck> {
  const { s } = store;
  await store.ready();
  // One snapshot: chains, heads and checkpoints as they stood together, while replicas go on appending.
  return inTransaction(store.reads, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
    const checkpointRows = (await client.query(`SELECT n, checkpoint FROM ${s}.audit_checkpoint ORDER BY n`)).rows as { n: number; checkpoint: string }[];
    const heads = new Map<string, ChainLink>(
      (await client.query(`SELECT replica_id, seq, hash FROM ${s}.audit_head`)).rows.map((h) => [h.replica_id, { seq: Number(h.seq), hash: h.hash }]),
    );
    const signed = publicKey && replicaSignedHeads(checkpointRows, publicKey, copies);
    const replicas = [...new Set([...heads.keys(), ...(await replicasWithRecords(s, client)), ...(signed?.chains.keys() ?? [])])].sort();

    const chains: PostgresChainCheck['chains'] = [];
    let brokenAt: PostgresChainCheck['brokenAt'] = signed?.brokenAt;
    for (const id of replicas) {
      if (brokenAt) break;
      const checked = await verifyChain(s, client, id, signed?.chains.get(id) ?? NO_LINKS, heads.get(id));
      brokenAt = checked.brokenAt;
      chains.push(checked.chain);
    }
    const records = chains.reduce((sum, c) => sum + c.records, 0);
    const decided = brokenAt ? { records: 0 } : await verifyDecisions(s, client, signed?.decisions ?? NO_LINKS);
    brokenAt ??= decided.brokenAt && { decision: decided.brokenAt.seq, problem: decided.brokenAt.problem };
    return {
      ok: !brokenAt,
      records,
      decisions: decided.records,
      chains,
      ...(brokenAt ? { brokenAt } : {}),
      ...(signed ? { checkpoints: { count: signed.count, after: Math.max(0, records - (signed.last?.access.seq ?? 0)) } } : {}),
      ...(signed ? { signedCheckpoints: checkpointRows.slice(0, signed.count).flatMap((r) => parseReplicaCheckpoint(r.checkpoint) ?? []) } : {}),
    };
  });
}
