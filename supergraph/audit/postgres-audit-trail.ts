// The access audit trail on PostgreSQL, for several gateway replicas appending at once.
//
// Why it is shaped this way (bench/audit-postgres.ts; figures in bench/results/audit-postgres.md):
// - One hash chain per replica: records are keyed (replica_id, seq), each hash covers the hash
//   before it in the same replica's chain, whose genesis names the replica. Replicas never write
//   the same row, so none waits on another's lock, and PostgreSQL flushes the commits of several
//   replicas together. One shared chain makes each batch hold its head row's lock through its
//   commit: measured with 4 replicas, 11.2 k appends/s against 19.0 k (a chain each), and flat
//   from 1 to 4 replicas where a chain each went from 11.5 k to 19.0 k.
// - Group commit: appends queue in the replica and one batch at a time is written as ONE statement
//   (a multi-row INSERT that also moves the replica's head row). Sent outside a transaction block,
//   PostgreSQL runs it as one transaction and commits it (WAL flushed: synchronous_commit on)
//   before it answers; only then do the batch's promises resolve. A kill leaves whole batches.
//   Measured: 11.5 to 28 times the appends/s of one transaction per record, one WAL flush for
//   64 to 96 records.
// - Checkpoints across all chains (replica-chains.ts), signed with the audit key every so
//   many seconds by whichever replica's timer fires, serialised by a transaction-level advisory
//   lock: never per request. Each is also appended to a file beside the signing replica's key
//   (outside the store), so wiping or rewriting the schema, checkpoints included, still shows.
// - The decision trail (grant answers, keys, principals, publications, label reloads) is ONE chain
//   for all replicas: decisions are taken by people, a few a minute, so one transaction each under
//   an advisory lock costs nothing that matters and keeps them in the order they were taken. A
//   checkpoint is signed after each, as on one replica.
// - The first replica to sign claims the audit key's id in the store; a replica holding another key
//   refuses to start (its checkpoints would not verify with the others').
// - Bounds: at most `maxQueued` records wait (past it an append fails at once); fixed pools with
//   connect and statement timeouts, one for writes and one for reads (searches, verification), so
//   an auditor's slow searches never hold up the records answers wait for; a failed batch fails
//   everything queued, so with PostgreSQL down appends fail (NOT_READY) within about one timeout:
//   the gateway answers an error, never unaudited.
// The tables come from versioned migrations (migrations/, node-pg-migrate under its advisory lock,
// so replicas starting at once run each one once), recorded in their own table `audit_migrations`.

import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import type { AccessRecord } from './audit-log.ts';
import type { Decision, StoredDecision } from './decision-log.ts';
import { chainClaim } from './postgres-chain-claim.ts';
import { signCheckpoint, claimSigningKey } from './postgres-checkpoints.ts';
import { recentDecisions, recordDecision } from './postgres-decision-chain.ts';
import { groupCommit } from './postgres-group-commit.ts';
import { ReplicaIdInUse } from './postgres-trail-errors.ts';
import { trailReads, type PostgresAuditSearch } from './postgres-trail-reads.ts';
import { openTrailStore } from './postgres-trail-store.ts';
import { verifyChains, type PostgresChainCheck } from './postgres-verify.ts';
import type { ReplicaCheckpoint, ReplicaRecord } from './replica-chains.ts';
import type { SigningKey } from './signing-key.ts';

export { recordRow } from './postgres-rows.ts';
export { AuditKeyMismatch, AuditTrailUnavailable, ReplicaIdInUse } from './postgres-trail-errors.ts';
export type { PostgresAuditSearch, SearchCursor } from './postgres-trail-reads.ts';
export type { PostgresChainCheck } from './postgres-verify.ts';

export interface PostgresAuditTrailOptions {
  /** A pool the caller owns and bounds; or `connectionString`, for pools this trail owns. */
  pool?: pg.Pool;
  connectionString?: string;
  /** The PostgreSQL schema holding the trail (created when absent). */
  schema: string;
  /**
   * This replica's chain. Two live processes must never share one (their batches would conflict and
   * fail): `start()` claims it for the life of the trail, on a connection of its own.
   */
  replicaId: string;
  /** Whether `start()` claims the chain (default true); a CLI that appends nothing does not. */
  claimChain?: boolean;
  /**
   * Signs a checkpoint of every chain's head every `everySeconds` (when any moved), after each
   * decision, and at close; each one this replica signs is also appended to `checkpointsFile`.
   * `afterTimedCheckpoint` hears of each timed one once it is committed (the newest checkpoint, signed
   * by that tick or before), so that a caller can wait on the timer rather than for a while.
   */
  signing?: {
    key: SigningKey;
    everySeconds: number;
    checkpointsFile?: string;
    onError?: (error: unknown) => void;
    afterTimedCheckpoint?: (newest: ReplicaCheckpoint | undefined) => void;
  };
  /** Records per transaction, at most (1 writes one transaction per record). */
  maxBatch?: number;
  /** Records waiting to be written, at most; past it an append fails at once. */
  maxQueued?: number;
  /** For the pools this trail creates: connections for writes and for reads, and the bound on connecting and on each statement. */
  maxConnections?: number;
  readConnections?: number;
  timeoutMs?: number;
}

export interface PostgresAuditTrail {
  readonly replicaId: string;
  /** Resolves once the record is committed; rejects (coded) when it cannot be, within the bounds. */
  append(record: AccessRecord): Promise<ReplicaRecord>;
  /** Newest first, across replicas, optionally of one app. */
  recent(limit: number, appId?: string | null): Promise<ReplicaRecord[]>;
  /** The newest records matching every part of `search`, across replicas. */
  search(search: PostgresAuditSearch): Promise<ReplicaRecord[]>;
  recipients(coordinate: string, from?: string, to?: string): Promise<ReplicaRecord[]>;
  received(appId: string, coordinate: string): Promise<boolean>;
  /**
   * The answer `record` was appended for did not leave (its append failed): when the record is in
   * the chain all the same (the commit happened, its answer lost), a WITHHELD record naming it is
   * written with the next batch, retried until PostgreSQL takes it. True once written, false when the
   * record is not in the chain; rejects when the trail closes first.
   */
  withheld(record: AccessRecord, status: number): Promise<boolean>;
  /** The checkpoints numbered after `n`, oldest first, at most `limit` (what the providers countersign). */
  checkpointsAfter(n: number, limit: number): Promise<ReplicaCheckpoint[]>;
  /** Whether an app received one record's value of a coordinate, by its digest (received-values.ts). */
  receivedValue(appId: string, valueDigest: string): Promise<boolean>;
  /** Migrates the schema and, when signing, claims the audit key's id (rejects when another key holds it). */
  start(): Promise<void>;
  /** Resolves once the decision is committed (and a checkpoint signed over it, when signing). */
  appendDecision(decision: Decision): Promise<StoredDecision & { replica: string }>;
  /**
   * Appends `decision` unless the newest of its action holds the same detail (a file's digest that
   * replicas starting at once each load), decided under the chain's lock; undefined when not appended.
   */
  appendDecisionIfChanged(decision: Decision): Promise<(StoredDecision & { replica: string }) | undefined>;
  /** Resolves when the store takes writes now (readiness): the writers' pool, whatever searches are running. */
  ping(): Promise<void>;
  /** Newest first, optionally of one action. */
  recentDecisions(limit: number, action?: string | null): Promise<(StoredDecision & { replica: string })[]>;
  /**
   * Walks every chain in one snapshot, against the checkpoints that `publicKey` (default: the
   * signing key) verifies, and `copies` kept outside the store.
   */
  verify(publicKey?: KeyObject, copies?: readonly ReplicaCheckpoint[]): Promise<PostgresChainCheck>;
  /** Signs the heads unless the last checkpoint names them; returns the last checkpoint. */
  checkpoint(): Promise<ReplicaCheckpoint | undefined>;
  /** Records and transactions written by this trail: their ratio is the batching. */
  stats(): { records: number; batches: number; queued: number };
  /** Writes what is queued, a last checkpoint when signing, and ends the pool it owns. */
  close(): Promise<void>;
}


export function openPostgresAuditTrail(options: PostgresAuditTrailOptions): PostgresAuditTrail {
  const store = openTrailStore(options);
  const { s, replica } = store;
  const { signing } = options;
  const commits = groupCommit(store, options.maxBatch ?? 512, options.maxQueued ?? 10_000);
  const claim = chainClaim(store);
  const reads = trailReads(store);

  const checkpoint = async (): Promise<ReplicaCheckpoint | undefined> => (signing ? signCheckpoint(store, signing.key, signing.checkpointsFile) : undefined);
  const appendDecision = async (decision: Decision, ifChanged = false): Promise<(StoredDecision & { replica: string }) | undefined> => {
    const stored = await recordDecision(store, decision, ifChanged);
    // Signed at once, as on one replica: a decision is vouched for by the operator's key before the next one.
    if (stored && signing) await checkpoint().catch((error) => signing.onError?.(error));
    return stored;
  };
  const start = async () => {
    await store.ready();
    if (options.claimChain !== false && options.connectionString && !claim.held && !(await claim.take())) {
      throw new ReplicaIdInUse(
        `another live replica appends to the audit chain ${replica} in schema ${s}; every replica needs its own (JG_REPLICA_ID; by default <host name>:<server.port>)`,
      );
    }
    if (signing) await claimSigningKey(store, signing.key);
  };
  const timer = signing
    && setInterval(() => void checkpoint().then((newest) => signing.afterTimedCheckpoint?.(newest), (error) => signing.onError?.(error)), signing.everySeconds * 1_000).unref();

  return {
    replicaId: replica,
    start,
    appendDecision: async (decision) => (await appendDecision(decision))!,
    appendDecisionIfChanged: (decision) => appendDecision(decision, true),
    ping: async () => {
      await store.ready();
      await store.pool.query(`SELECT 1 FROM ${s}.audit_head LIMIT 1`);
    },
    recentDecisions: (limit, action = null) => recentDecisions(store, limit, action),
    append: commits.append,
    ...reads,
    withheld: commits.withheld,
    verify: (publicKey = signing?.key.publicKey, copies = []) => verifyChains(store, publicKey, copies),
    checkpoint,
    stats: commits.stats,
    async close() {
      store.closed = true;
      if (timer) clearInterval(timer);
      claim.stopRetrying();
      try {
        await commits.close();
        await checkpoint();
      } finally {
        await claim.release();
        if (store.owned) await Promise.all([store.pool.end(), store.reads.end()]);
      }
    },
  };
}
