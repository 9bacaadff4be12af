// One hash chain per gateway replica, and the signed checkpoint across them: the head (seq, hash)
// of every replica's chain at one moment. The checkpoint is the protocol's Checkpoint, signed and
// linked to the one before as the single trail's is (so providers countersign it unchanged): its
// `access` link names the records in all chains (the sum of the heads' seqs) and the SHA-256 of the
// heads, which it carries beside it as `heads`. Its `decisions` link is the head of the one decision
// chain replicas share (decisions are few and human-paced: one chain keeps them in one order).

import { createHash, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { recordHash, type AccessRecord, type StoredRecord } from './audit-log.ts';
import type { ChainLink, SignedLinks } from './chain.ts';
import { checkSignatures, parseCheckpoint, readCheckpointFile, signatureHash, signCheckpoint, type Checkpoint } from './checkpoint.ts';
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
export function signReplicaCheckpoint(heads: readonly ReplicaHead[], decisions: ChainLink, last: ReplicaCheckpoint | undefined, key: SigningKey): ReplicaCheckpoint {
  const body = { v: 1 as const, n: (last?.n ?? 0) + 1, at: new Date().toISOString(), key: key.id, access: headsLink(heads), decisions, prev: last ? signatureHash(last) : null };
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
  /** What they vouch for of the decision chain. */
  decisions: SignedLinks;
  count: number;
  last?: ReplicaCheckpoint;
  brokenAt?: { checkpoint: number; problem: CheckpointProblem };
}

const validCheckpoint = (c: ReplicaCheckpoint | undefined, publicKey: KeyObject): boolean => {
  const link = c && headsLink(c.heads);
  return !!c && !!link && link.seq === c.access.seq && link.hash === c.access.hash && checkSignatures(c, { operator: publicKey }).ok;
};

/**
 * Checks stored checkpoints in order: shape, digest of the heads, signature, and the link to the one
 * before; stops at the first that fails. `copies` are checkpoints kept outside the store (each
 * replica's file beside its key): each must verify and be the stored one of its number, so a store
 * wiped or rewritten with its checkpoints still disagrees with them.
 */
export function replicaSignedHeads(rows: readonly { n: number; checkpoint: string }[], publicKey: KeyObject, copies: readonly ReplicaCheckpoint[] = []): ReplicaSignedHeads {
  const chains = new Map<string, { bySeq: Map<number, Set<string>>; last: number }>();
  const decisions = { bySeq: new Map<number, Set<string>>(), last: 0 };
  const vouch = (chain: typeof decisions, { seq, hash }: ChainLink) => {
    if (seq === 0) return;
    (chain.bySeq.get(seq) ?? chain.bySeq.set(seq, new Set()).get(seq)!).add(hash);
    chain.last = Math.max(chain.last, seq);
  };
  let last: ReplicaCheckpoint | undefined;
  const result = (brokenAt?: ReplicaSignedHeads['brokenAt']): ReplicaSignedHeads => ({ chains, decisions, count: last?.n ?? 0, ...(last ? { last } : {}), ...(brokenAt ? { brokenAt } : {}) });
  const stored = new Map<number, ReplicaCheckpoint>();
  for (const row of rows) {
    const c = parseReplicaCheckpoint(row.checkpoint);
    if (!c || !validCheckpoint(c, publicKey) || c.n !== row.n) return result({ checkpoint: row.n, problem: 'checkpoint-invalid' });
    // The first is number 1 and each links to the one before: none was deleted.
    if (c.n !== (last?.n ?? 0) + 1 || c.prev !== (last ? signatureHash(last) : null)) return result({ checkpoint: c.n, problem: 'checkpoint-missing' });
    for (const head of c.heads) vouch(chains.get(head.replica) ?? chains.set(head.replica, { bySeq: new Map(), last: 0 }).get(head.replica)!, head);
    vouch(decisions, c.decisions);
    stored.set(c.n, c);
    last = c;
  }
  for (const copy of copies) {
    if (!validCheckpoint(copy, publicKey)) return result({ checkpoint: copy.n, problem: 'checkpoint-invalid' });
    if (stored.get(copy.n)?.signature !== copy.signature) return result({ checkpoint: copy.n, problem: 'checkpoint-missing' });
  }
  return result();
}

/**
 * The shared trail's checkpoints as the replicas copied them, from every `checkpoints-<replica>.jsonl`
 * in the key folder `dir`. Lines that are not checkpoints of the shared trail (a single replica's,
 * without `heads`) are not its copies and are left out.
 */
export function readReplicaCheckpointCopies(dir: string): ReplicaCheckpoint[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^checkpoints-.+\.jsonl$/.test(f))
    .flatMap((f) => readCheckpointFile(join(dir, f)).checkpoints)
    .flatMap((c) => parseReplicaCheckpoint(JSON.stringify(c)) ?? []);
}
