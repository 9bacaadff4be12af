// One hash chain per gateway replica, and the signed checkpoint across them: the head (seq, hash)
// of every replica's chain at one moment. The checkpoint is the protocol's Checkpoint, signed and
// linked to the one before as the single trail's is (so providers countersign it unchanged): its
// `access` link names the records in all chains (the sum of the heads' seqs) and the SHA-256 of the
// heads, which it carries beside it as `heads`. This trail holds no decisions: that link stays at genesis.

import { createHash, type KeyObject } from 'node:crypto';
import { recordHash, type AccessRecord, type StoredRecord } from './audit-log.ts';
import { GENESIS, type ChainLink, type SignedLinks } from './chain.ts';
import { checkSignatures, parseCheckpoint, signatureHash, signCheckpoint, type Checkpoint } from './checkpoint.ts';
import type { CheckpointProblem } from './signed-heads.ts';
import type { SigningKey } from './signing-key.ts';

export interface ReplicaRecord extends StoredRecord {
  replica: string;
}

/** `records` chained, in order, after `after` in a replica's chain. */
export function linkRecords(replica: string, after: ChainLink, records: readonly AccessRecord[]): ReplicaRecord[] {
  let last = after;
  return records.map((record) => {
    const seq = last.seq + 1;
    const linked: ReplicaRecord = { ...record, replica, seq, prevHash: last.hash, hash: recordHash(last.hash, seq, record) };
    last = linked;
    return linked;
  });
}

/** Where a replica's chain starts: a hash of its id, so a record cannot be moved to another chain unnoticed. */
export const replicaGenesis = (replica: string): ChainLink => ({ seq: 0, hash: createHash('sha256').update(`jointgraph-audit-replica\n${replica}`).digest('hex') });

export interface ReplicaHead extends ChainLink {
  replica: string;
}

export interface ReplicaCheckpoint extends Checkpoint {
  /** Every replica chain's head, by replica id. */
  heads: ReplicaHead[];
}

const byReplica = (heads: readonly ReplicaHead[]) => [...heads].sort((a, b) => (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0));

/** What the operator's signature covers of the heads: their sum of seqs and a digest of them all. */
export function headsLink(heads: readonly ReplicaHead[]): ChainLink {
  const sorted = byReplica(heads);
  const digest = createHash('sha256').update(JSON.stringify(sorted.map((h) => [h.replica, h.seq, h.hash])));
  return { seq: sorted.reduce((sum, h) => sum + h.seq, 0), hash: digest.digest('hex') };
}

/** The next checkpoint after `last`. */
export function signReplicaCheckpoint(heads: readonly ReplicaHead[], last: ReplicaCheckpoint | undefined, key: SigningKey): ReplicaCheckpoint {
  const body = { v: 1 as const, n: (last?.n ?? 0) + 1, at: new Date().toISOString(), key: key.id, access: headsLink(heads), decisions: GENESIS, prev: last ? signatureHash(last) : null };
  return { ...signCheckpoint(body, key.privateKey), heads: byReplica(heads) };
}

const isHead = (h: unknown): h is ReplicaHead =>
  typeof h === 'object' && h !== null && typeof (h as ReplicaHead).replica === 'string' && Number.isInteger((h as ReplicaHead).seq) && typeof (h as ReplicaHead).hash === 'string';

export function parseReplicaCheckpoint(text: string): ReplicaCheckpoint | undefined {
  const c = parseCheckpoint(text) as ReplicaCheckpoint | undefined;
  return c && Array.isArray(c.heads) && c.heads.every(isHead) ? c : undefined;
}

export interface ReplicaSignedHeads {
  /** What the valid checkpoints vouch for, chain by chain. */
  chains: Map<string, SignedLinks>;
  count: number;
  last?: ReplicaCheckpoint;
  brokenAt?: { checkpoint: number; problem: CheckpointProblem };
}

/** Checks stored checkpoints in order: shape, digest of the heads, signature, and the link to the one before. Stops at the first that fails. */
export function replicaSignedHeads(rows: readonly { n: number; checkpoint: string }[], publicKey: KeyObject): ReplicaSignedHeads {
  const chains = new Map<string, { bySeq: Map<number, Set<string>>; last: number }>();
  let last: ReplicaCheckpoint | undefined;
  const result = (brokenAt?: ReplicaSignedHeads['brokenAt']): ReplicaSignedHeads => ({ chains, count: last?.n ?? 0, ...(last ? { last } : {}), ...(brokenAt ? { brokenAt } : {}) });
  for (const row of rows) {
    const c = parseReplicaCheckpoint(row.checkpoint);
    const link = c && headsLink(c.heads);
    if (!c || !link || c.n !== row.n || link.seq !== c.access.seq || link.hash !== c.access.hash || !checkSignatures(c, { operator: publicKey }).ok) {
      return result({ checkpoint: row.n, problem: 'checkpoint-invalid' });
    }
    // The first is number 1 and each links to the one before: none was deleted.
    if (c.n !== (last?.n ?? 0) + 1 || c.prev !== (last ? signatureHash(last) : null)) return result({ checkpoint: c.n, problem: 'checkpoint-missing' });
    for (const { replica, seq, hash } of c.heads) {
      const chain = chains.get(replica) ?? chains.set(replica, { bySeq: new Map(), last: 0 }).get(replica)!;
      if (seq === 0) continue;
      (chain.bySeq.get(seq) ?? chain.bySeq.set(seq, new Set()).get(seq)!).add(hash);
      chain.last = Math.max(chain.last, seq);
    }
    last = c;
  }
  return result();
}
