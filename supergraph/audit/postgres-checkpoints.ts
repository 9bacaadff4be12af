// Checkpoints across every chain, signed with the audit key by whichever replica asks, one at a
// time under a transaction-level advisory lock; and the claim that ties the store to that key.

import { appendCheckpoint } from './checkpoint.ts';
import { GENESIS, type ChainLink } from './chain.ts';
import { parseReplicaCheckpoint, signReplicaCheckpoint, type ReplicaCheckpoint, type ReplicaHead } from './replica-chains.ts';
import { decisionHead } from './postgres-decision-chain.ts';
import { AuditKeyMismatch } from './postgres-trail-errors.ts';
import { inTransaction, type TrailStore } from './postgres-trail-store.ts';
import type { SigningKey } from './signing-key.ts';

/** Whether `last` already names these heads: then there is nothing new to sign. */
const namesHeads = (last: ReplicaCheckpoint, heads: readonly ReplicaHead[], decisions: ChainLink) =>
  last.heads.length === heads.length && last.heads.every((h, i) => h.replica === heads[i]!.replica && h.seq === heads[i]!.seq && h.hash === heads[i]!.hash)
  && last.decisions.seq === decisions.seq && last.decisions.hash === decisions.hash;

/** Signs the heads unless the last checkpoint names them (or there is nothing yet); returns the last checkpoint. */
export async function signCheckpoint(store: TrailStore, key: SigningKey, checkpointsFile: string | undefined): Promise<ReplicaCheckpoint | undefined> {
  const { s } = store;
  await store.ready();
  const { last, signed } = await inTransaction(store.pool, 'BEGIN', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jointgraph-audit-checkpoint:${s}`]);
    const lastRow = (await client.query(`SELECT checkpoint FROM ${s}.audit_checkpoint ORDER BY n DESC LIMIT 1`)).rows[0] as { checkpoint: string } | undefined;
    const last = lastRow && parseReplicaCheckpoint(lastRow.checkpoint);
    const heads: ReplicaHead[] = (await client.query(`SELECT replica_id, seq, hash FROM ${s}.audit_head ORDER BY replica_id`)).rows
      .map((h) => ({ replica: h.replica_id, seq: Number(h.seq), hash: h.hash }));
    const decisions = (await decisionHead(s, client)) ?? GENESIS;
    if ((last && namesHeads(last, heads, decisions)) || (heads.length === 0 && decisions.seq === 0)) return { last, signed: false };
    const next = signReplicaCheckpoint(heads, decisions, last, key);
    await client.query(`INSERT INTO ${s}.audit_checkpoint (n, checkpoint) VALUES ($1, $2)`, [next.n, JSON.stringify(next)]);
    return { last: next, signed: true };
  });
  // Committed first: a copy is never of a checkpoint the store does not hold.
  if (signed && last && checkpointsFile) appendCheckpoint(checkpointsFile, last);
  return last;
}

/** The first replica to sign claims the key's id in the store; another key is refused (its checkpoints would not verify with the others'). */
export async function claimSigningKey(store: TrailStore, key: SigningKey): Promise<void> {
  const { s, replica, pool } = store;
  await pool.query(
    `INSERT INTO ${s}.audit_signing_key (id, key_id, claimed_by, claimed_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
    [key.id, replica, new Date().toISOString()],
  );
  const claimed = (await pool.query(`SELECT key_id, claimed_by FROM ${s}.audit_signing_key WHERE id = 1`)).rows[0] as { key_id: string; claimed_by: string };
  if (claimed.key_id !== key.id) {
    throw new AuditKeyMismatch(
      `this replica's audit signing key (id ${key.id}) is not the one the shared trail in schema ${s} is signed with (id ${claimed.key_id}, claimed by replica ${claimed.claimed_by}); `
      + 'every replica must hold the same key: copy that key folder to this replica, or point JG_AUDIT_KEY_FILE at the shared one',
    );
  }
}
