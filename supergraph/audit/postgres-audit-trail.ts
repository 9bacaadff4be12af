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
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createRequire } from 'node:module';

// Required when a PostgreSQL store opens: a gateway on SQLite does not load the driver at start.
const driver = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;
import type { ErrorCode } from '../errors/index.ts';
import { recordHash, type AccessRecord, type AuditSearch } from './audit-log.ts';
import { appendCheckpoint } from './checkpoint.ts';
import { checkEnd, checkLinks, GENESIS, NO_LINKS, type ChainLink, type LinkProblem, type SignedLinks } from './chain.ts';
import { decisionHash, type Decision, type StoredDecision } from './decision-log.ts';
import { withheldRecord, type OwedCompensation } from './withheld-answers.ts';
import { linkRecords, parseReplicaCheckpoint, replicaGenesis, replicaSignedHeads, signReplicaCheckpoint, type ReplicaCheckpoint, type ReplicaHead, type ReplicaRecord } from './replica-chains.ts';
import type { CheckpointProblem } from './signed-heads.ts';
import type { SigningKey } from './signing-key.ts';

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

/** Where a page of search results ends: records from several chains are ordered by time, then replica, then seq. */
export interface SearchCursor {
  at: string;
  replica: string;
  seq: number;
}

/** The SQLite trail's search, with a cursor across chains in place of `beforeSeq`. */
export type PostgresAuditSearch = Omit<AuditSearch, 'beforeSeq'> & { before?: SearchCursor | null };

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

/** Why an append failed, with the catalogue's code the gateway answers. */
export class AuditTrailUnavailable extends Error {
  constructor(readonly code: Extract<ErrorCode, 'SERVICE_UNAVAILABLE' | 'NOT_READY'>, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditTrailUnavailable';
  }
}

const PAGE = 5_000;

interface Row {
  replica_id: string; seq: number | string; at: string; app_id: string | null; department: string | null; purpose: string | null; operation_hash: string | null;
  returned: string[]; denied: string[]; providers: string[]; entities: number; outcome: string; status: number; prev_hash: string; hash: string;
  request_id: string | null; value_digests: string[] | null; withholds: number | string | null;
}

/** The row a record is stored as (one JSON object of them per batch). */
export const recordRow = (r: ReplicaRecord): Row => ({
  replica_id: r.replica, seq: r.seq, at: r.at, app_id: r.appId, department: r.department, purpose: r.purpose, operation_hash: r.operationHash,
  returned: r.returned, denied: r.denied, providers: r.providers, entities: r.entities, outcome: r.outcome, status: r.status, prev_hash: r.prevHash, hash: r.hash,
  request_id: r.requestId ?? null, value_digests: r.valueDigests ?? null, withholds: r.withholds ?? null,
});

const fromRow = (r: Row): ReplicaRecord => ({
  replica: r.replica_id, seq: Number(r.seq), at: r.at, appId: r.app_id, department: r.department, purpose: r.purpose, operationHash: r.operation_hash,
  returned: r.returned, denied: r.denied, providers: r.providers, entities: r.entities, outcome: r.outcome, status: r.status, prevHash: r.prev_hash, hash: r.hash,
  ...(r.request_id !== null ? { requestId: r.request_id } : {}),
  ...(r.value_digests !== null ? { valueDigests: r.value_digests } : {}),
  ...(r.withholds !== null ? { withholds: Number(r.withholds) } : {}),
});

interface DecisionRow {
  seq: number | string; at: string; who: string; action: string; subject: string; coordinates: string[]; decision: string | null; reason: string | null;
  detail: string | null; prev_hash: string; hash: string; replica_id: string;
}

const fromDecisionRow = ({ seq, prev_hash, replica_id, action, ...row }: DecisionRow): StoredDecision & { replica: string } =>
  ({ ...row, action: action as Decision['action'], seq: Number(seq), prevHash: prev_hash, replica: replica_id });

/** A value PostgreSQL cannot store (SQLSTATE class 22: data exception), as opposed to a server out of reach. */
const isDataError = (error: unknown) => typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('22');

/** The audit key in the store is not this replica's. */
export class AuditKeyMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyMismatch';
  }
}

/** Another live process holds this replica's chain. */
export class ReplicaIdInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicaIdInUse';
  }
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Runs the trail's migrations not yet run in `schema` (creating it), on a connection closed afterwards: they move its search_path. */
async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const { runner } = await import('node-pg-migrate');
  const client = await pool.connect();
  try {
    await runner({
      dbClient: client, schema, createSchema: true, migrationsTable: 'audit_migrations', dir: MIGRATIONS_DIR, direction: 'up',
      advisoryLockMode: 'wait', singleTransaction: true, log: () => undefined,
    });
  } finally {
    client.release(true);
  }
}

async function inTransaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed may be broken: it is closed rather than handed out again.
    client.release(failed);
  }
}

export function openPostgresAuditTrail(options: PostgresAuditTrailOptions): PostgresAuditTrail {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`Audit schema "${options.schema}" must be a lower-case SQL identifier.`);
  const { schema: s, replicaId: replica, signing } = options;
  const maxBatch = options.maxBatch ?? 512;
  const maxQueued = options.maxQueued ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const owned = !options.pool;
  const poolFor = (role: string, max: number) => {
    const created = new (driver().Pool)({
      connectionString: options.connectionString, max, application_name: `jointgraph audit ${role} ${replica}`.slice(0, 63),
      connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs + 1_000, idleTimeoutMillis: 10_000,
    });
    // An idle connection the server drops is an 'error' on the pool; the next query reconnects.
    created.on('error', () => undefined);
    return created;
  };
  // Writes (records, checkpoints, decisions) and reads (searches, recipients, verification) on pools
  // of their own: a read that runs to its timeout never makes an answer wait for its record.
  const pool = options.pool ?? poolFor('writer', options.maxConnections ?? 2);
  const reads = options.pool ?? poolFor('reader', options.readConnections ?? 2);

  // Migrated once, and again after a failure (PostgreSQL may come up after the gateway).
  let created: Promise<void> | undefined;
  const ready = () =>
    (created ??= migrate(pool, s).catch((error) => {
      created = undefined;
      throw error;
    }));

  /** This chain's last record, as committed; unknown after a failed batch, whose commit may or may not have happened. */
  let head: ChainLink | undefined;
  // From the head row first: records cut from the tail then stay a gap before the next record,
  // rather than being covered by a new head. The last record serves only when the head row is gone.
  const loadHead = async (): Promise<ChainLink> => {
    const row = (await pool.query(`SELECT seq, hash FROM ${s}.audit_head WHERE replica_id = $1`, [replica])).rows[0]
      ?? (await pool.query(`SELECT seq, hash FROM ${s}.audit_record WHERE replica_id = $1 ORDER BY seq DESC LIMIT 1`, [replica])).rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : replicaGenesis(replica);
  };

  /** Where each record went in the chain when it was sent: after a failed batch, whether it was committed is in doubt. */
  const sentAt = new WeakMap<AccessRecord, ChainLink>();
  /** Withheld answers whose records may be in the chain: checked, and compensated, with the next batch. */
  let owed: OwedCompensation[] = [];
  /** Of `due`, the WITHHELD records to write: for records the chain holds as sent and that none withdraws yet. The rest are settled. */
  const compensationsFor = async (due: readonly OwedCompensation[]): Promise<{ owed: OwedCompensation; record: AccessRecord }[]> => {
    const found = new Map<number, { hash: string; withheld: boolean }>(
      (await pool.query(
        `SELECT r.seq, r.hash, EXISTS (SELECT 1 FROM ${s}.audit_record w WHERE w.replica_id = r.replica_id AND w.withholds = r.seq) AS withheld
         FROM ${s}.audit_record r WHERE r.replica_id = $1 AND r.seq = ANY($2::bigint[])`,
        [replica, due.map((o) => o.link.seq)],
      )).rows.map((r) => [Number(r.seq), { hash: r.hash, withheld: r.withheld === true }]),
    );
    return due.flatMap((o) => {
      const row = found.get(o.link.seq);
      if (row?.hash === o.link.hash && !row.withheld) return [{ owed: o, record: withheldRecord(o.record, o.link.seq, o.status) }];
      o.settle(false);
      return [];
    });
  };

  const counts = { records: 0, batches: 0 };
  const write = async (records: readonly AccessRecord[]): Promise<ReplicaRecord[]> => {
    const due = owed;
    owed = [];
    let compensations: Awaited<ReturnType<typeof compensationsFor>> = [];
    try {
      await ready();
      head ??= await loadHead();
      compensations = due.length > 0 ? await compensationsFor(due) : [];
    } catch (error) {
      owed = [...due, ...owed];
      throw error;
    }
    const all = [...compensations.map((c) => c.record), ...records];
    if (all.length === 0) return [];
    const stored = linkRecords(replica, head, all);
    stored.forEach((r, i) => sentAt.set(all[i]!, { seq: r.seq, hash: r.hash }));
    const last = stored.at(-1)!;
    // The rows go as one JSON parameter: measured 30% faster than a VALUES list of 15 parameters a row, at half the CPU here.
    await pool.query(
      `WITH written AS (INSERT INTO ${s}.audit_record SELECT * FROM jsonb_populate_recordset(NULL::${s}.audit_record, $4))
       INSERT INTO ${s}.audit_head (replica_id, seq, hash) VALUES ($1, $2, $3)
       ON CONFLICT (replica_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      [replica, last.seq, last.hash, JSON.stringify(stored.map(recordRow))],
    ).catch((error) => {
      // Sent, so perhaps committed: checked again before the next batch (a WITHHELD record already there is not written twice).
      owed = [...compensations.map((c) => c.owed), ...owed];
      throw error;
    });
    head = { seq: last.seq, hash: last.hash };
    counts.records += stored.length;
    counts.batches += 1;
    for (const c of compensations) c.owed.settle(true);
    return stored.slice(compensations.length);
  };

  interface Pending { record: AccessRecord; resolve: (r: ReplicaRecord) => void; reject: (e: Error) => void }
  let queue: Pending[] = [];
  let draining: Promise<void> | undefined;
  let closed = false;
  const unavailable = (cause: unknown) =>
    new AuditTrailUnavailable('NOT_READY', `The audit trail could not be written to PostgreSQL (${(cause as Error).message}); no answer leaves without its record.`, { cause });
  // With compensations owed and PostgreSQL away, they are tried again every timeout, not in a loop.
  let retry: NodeJS.Timeout | undefined;
  const retryLater = () => {
    retry ??= setTimeout(() => {
      retry = undefined;
      kick();
    }, timeoutMs).unref();
  };
  const drain = async () => {
    while (queue.length > 0 || owed.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const stored = await write(batch.map((p) => p.record));
        batch.forEach((p, i) => p.resolve(stored[i]!));
      } catch (cause) {
        head = undefined;
        // PostgreSQL refused a value (SQLSTATE class 22, e.g. a NUL character in a text): the batch
        // was rolled back whole, so each record is written alone and only the one it refuses fails.
        if (batch.length > 1 && isDataError(cause)) {
          for (const p of batch) {
            try {
              p.resolve((await write([p.record]))[0]!);
            } catch (alone) {
              head = undefined;
              p.reject(unavailable(alone));
            }
          }
          continue;
        }
        // Those queued behind would wait a timeout each: they fail now, and later appends try afresh.
        for (const p of [...batch, ...queue]) p.reject(unavailable(cause));
        queue = [];
        if (owed.length > 0 && !closed) retryLater();
        break;
      }
    }
    draining = undefined;
  };
  const kick = () => void (draining ??= new Promise((next) => setImmediate(next)).then(drain));

  const withheld = (record: AccessRecord, status: number) =>
    new Promise<boolean>((settle, fail) => {
      const link = sentAt.get(record);
      if (!link) return settle(false);
      if (closed) return fail(new AuditTrailUnavailable('NOT_READY', 'The audit trail is closed: the withheld answer\'s record could not be marked WITHHELD.'));
      owed.push({ record, link, status, settle, fail });
      kick();
    });

  const append = (record: AccessRecord) =>
    new Promise<ReplicaRecord>((resolve, reject) => {
      if (closed) return reject(new AuditTrailUnavailable('NOT_READY', 'The audit trail is closed.'));
      if (queue.length >= maxQueued) return reject(new AuditTrailUnavailable('SERVICE_UNAVAILABLE', `${maxQueued} audit records are already waiting to be written; retry shortly.`));
      queue.push({ record, resolve, reject });
      // The next turn of the event loop: the records of requests finishing together go in one batch.
      kick();
    });

  const decisionHead = async (client: pg.PoolClient | pg.Pool): Promise<ChainLink | undefined> => {
    const row = (await client.query(`SELECT seq, hash FROM ${s}.decision_head WHERE id = 1`)).rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
  };

  const checkpoint = async (): Promise<ReplicaCheckpoint | undefined> => {
    if (!signing) return undefined;
    await ready();
    const { last, signed } = await inTransaction(pool, 'BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jointgraph-audit-checkpoint:${s}`]);
      const lastRow = (await client.query(`SELECT checkpoint FROM ${s}.audit_checkpoint ORDER BY n DESC LIMIT 1`)).rows[0] as { checkpoint: string } | undefined;
      const last = lastRow && parseReplicaCheckpoint(lastRow.checkpoint);
      const heads: ReplicaHead[] = (await client.query(`SELECT replica_id, seq, hash FROM ${s}.audit_head ORDER BY replica_id`)).rows
        .map((h) => ({ replica: h.replica_id, seq: Number(h.seq), hash: h.hash }));
      const decisions = (await decisionHead(client)) ?? GENESIS;
      const same = last && last.heads.length === heads.length && last.heads.every((h, i) => h.replica === heads[i]!.replica && h.seq === heads[i]!.seq && h.hash === heads[i]!.hash)
        && last.decisions.seq === decisions.seq && last.decisions.hash === decisions.hash;
      if (same || (heads.length === 0 && decisions.seq === 0)) return { last, signed: false };
      const next = signReplicaCheckpoint(heads, decisions, last, signing.key);
      await client.query(`INSERT INTO ${s}.audit_checkpoint (n, checkpoint) VALUES ($1, $2)`, [next.n, JSON.stringify(next)]);
      return { last: next, signed: true };
    });
    // Committed first: a copy is never of a checkpoint the store does not hold.
    if (signed && last && signing.checkpointsFile) appendCheckpoint(signing.checkpointsFile, last);
    return last;
  };

  const appendDecision = async (decision: Decision, ifChanged = false): Promise<(StoredDecision & { replica: string }) | undefined> => {
    if (closed) throw new AuditTrailUnavailable('NOT_READY', 'The audit trail is closed.');
    let stored: (StoredDecision & { replica: string }) | undefined;
    try {
      await ready();
      stored = await inTransaction(pool, 'BEGIN', async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jointgraph-audit-decision:${s}`]);
        if (ifChanged) {
          const newest = await client.query(`SELECT detail FROM ${s}.decision_record WHERE action = $1 ORDER BY seq DESC LIMIT 1`, [decision.action]);
          if (newest.rowCount && newest.rows[0].detail === decision.detail) return undefined;
        }
        const last = (await decisionHead(client)) ?? GENESIS;
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
    // Signed at once, as on one replica: a decision is vouched for by the operator's key before the next one.
    if (stored && signing) await checkpoint().catch((error) => signing.onError?.(error));
    return stored;
  };

  // The claim on this chain: a session advisory lock, held by a connection of its own for the
  // trail's life. Lost with that connection (PostgreSQL restarted): taken again every 2 s; the
  // primary key still keeps two writers from forking the chain meanwhile.
  let claim: pg.Client | undefined;
  let reclaim: NodeJS.Timeout | undefined;
  const claimChain = async (): Promise<boolean> => {
    const client = new (driver().Client)({
      connectionString: options.connectionString, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs,
      // Named, for an operator reading pg_stat_activity: which replica holds which chain.
      application_name: `jointgraph chain ${replica}`.slice(0, 63),
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const taken = (await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS taken', [`jointgraph-audit-chain:${s}`, replica])).rows[0].taken === true;
      if (!taken) {
        await client.end();
        return false;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await client.end().catch(() => undefined);
      return true;
    }
    claim = client;
    client.on('end', () => {
      if (claim !== client || closed) return;
      claim = undefined;
      reclaimLater();
    });
    return true;
  };
  const reclaimLater = () => {
    reclaim = setTimeout(async () => {
      const taken = await claimChain().catch(() => undefined);
      if (taken === false) console.error(`audit chain ${replica} in schema ${s} is now held by another live process: two replicas share one JG_REPLICA_ID`);
      if (!claim && !closed) reclaimLater();
    }, 2_000).unref();
  };

  const start = async () => {
    await ready();
    if (options.claimChain !== false && options.connectionString && !claim && !(await claimChain())) {
      throw new ReplicaIdInUse(
        `another live replica appends to the audit chain ${replica} in schema ${s}; every replica needs its own (JG_REPLICA_ID; by default <host name>:<server.port>)`,
      );
    }
    if (!signing) return;
    await pool.query(
      `INSERT INTO ${s}.audit_signing_key (id, key_id, claimed_by, claimed_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [signing.key.id, replica, new Date().toISOString()],
    );
    const claimed = (await pool.query(`SELECT key_id, claimed_by FROM ${s}.audit_signing_key WHERE id = 1`)).rows[0] as { key_id: string; claimed_by: string };
    if (claimed.key_id !== signing.key.id) {
      throw new AuditKeyMismatch(
        `this replica's audit signing key (id ${signing.key.id}) is not the one the shared trail in schema ${s} is signed with (id ${claimed.key_id}, claimed by replica ${claimed.claimed_by}); `
        + 'every replica must hold the same key: copy that key folder to this replica, or point JG_AUDIT_KEY_FILE at the shared one',
      );
    }
  };
  const timer = signing
    && setInterval(() => void checkpoint().then((newest) => signing.afterTimedCheckpoint?.(newest), (error) => signing.onError?.(error)), signing.everySeconds * 1_000).unref();

  // A record a WITHHELD record (of the same chain) withdraws was never received: its answer did not leave.
  const delivered = `NOT EXISTS (SELECT 1 FROM ${s}.audit_record w WHERE w.replica_id = r.replica_id AND w.withholds = r.seq)`;
  const select = async (where: string, order: string, params: unknown[]) => {
    await ready();
    return ((await reads.query(`SELECT * FROM ${s}.audit_record r WHERE ${where} ORDER BY ${order}`, params)).rows as Row[]).map(fromRow);
  };
  // One statement for every search: a part left null matches everything (each is planned with its values).
  const search = (q: PostgresAuditSearch) =>
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

  const verify = async (publicKey = signing?.key.publicKey, copies: readonly ReplicaCheckpoint[] = []): Promise<PostgresChainCheck> => {
    await ready();
    // One snapshot: chains, heads and checkpoints as they stood together, while replicas go on appending.
    return inTransaction(reads, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const checkpointRows = (await client.query(`SELECT n, checkpoint FROM ${s}.audit_checkpoint ORDER BY n`)).rows as { n: number; checkpoint: string }[];
      const heads = new Map<string, ChainLink>(
        (await client.query(`SELECT replica_id, seq, hash FROM ${s}.audit_head`)).rows.map((h) => [h.replica_id, { seq: Number(h.seq), hash: h.hash }]),
      );
      const signed = publicKey && replicaSignedHeads(checkpointRows, publicKey, copies);
      // The replicas with records, one index probe each rather than a scan of every record.
      const withRecords = (await client.query(
        `WITH RECURSIVE r AS (SELECT min(replica_id) AS id FROM ${s}.audit_record
           UNION ALL SELECT (SELECT min(replica_id) FROM ${s}.audit_record WHERE replica_id > r.id) FROM r WHERE r.id IS NOT NULL)
         SELECT id FROM r WHERE id IS NOT NULL`,
      )).rows.map((r) => r.id as string);
      const replicas = [...new Set([...heads.keys(), ...withRecords, ...(signed?.chains.keys() ?? [])])].sort();

      const chains: PostgresChainCheck['chains'] = [];
      let brokenAt: PostgresChainCheck['brokenAt'] = signed?.brokenAt;
      for (const id of replicas) {
        if (brokenAt) break;
        const links = signed?.chains.get(id) ?? NO_LINKS;
        let last = replicaGenesis(id);
        let records = 0;
        for (;;) {
          const page = (await client.query(`SELECT * FROM ${s}.audit_record WHERE replica_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`, [id, last.seq])).rows as Row[];
          const check = checkLinks(page.map(fromRow), last, (prevHash, r) => recordHash(prevHash, r.seq, r), links);
          records += check.records;
          last = check.last;
          brokenAt = check.brokenAt && { replica: id, ...check.brokenAt };
          if (brokenAt || page.length < PAGE) break;
        }
        const end = brokenAt ? undefined : checkEnd(last, heads.get(id), links, records === 0);
        if (end) brokenAt = { replica: id, ...end };
        chains.push({ replica: id, records, head: last });
      }
      const records = chains.reduce((sum, c) => sum + c.records, 0);
      const decided = brokenAt ? { records: 0 } : await verifyDecisions(client, signed?.decisions ?? NO_LINKS);
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
  };

  /** The one decision chain, page by page, against what the checkpoints vouch for. */
  const verifyDecisions = async (client: pg.PoolClient, links: SignedLinks): Promise<{ records: number; brokenAt?: { seq: number; problem: LinkProblem } }> => {
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
    const brokenAt = checkEnd(last, await decisionHead(client), links, records === 0);
    return brokenAt ? { records, brokenAt } : { records };
  };

  return {
    replicaId: replica,
    start,
    appendDecision: async (decision) => (await appendDecision(decision))!,
    appendDecisionIfChanged: (decision) => appendDecision(decision, true),
    ping: async () => {
      await ready();
      await pool.query(`SELECT 1 FROM ${s}.audit_head LIMIT 1`);
    },
    recentDecisions: async (limit, action = null) => {
      await ready();
      const rows = (await reads.query(`SELECT * FROM ${s}.decision_record WHERE ($1::text IS NULL OR action = $1) ORDER BY seq DESC LIMIT $2`, [action, limit])).rows as DecisionRow[];
      return rows.map(fromDecisionRow);
    },
    append,
    recent: (limit, appId = null) => search({ limit, appId }),
    search,
    recipients: (coordinate, from = '0000', to = '9999') => select(`returned @> ARRAY[$1::text] AND at >= $2 AND at <= $3 AND ${delivered}`, 'at, replica_id, seq', [coordinate, from, to]),
    received: async (appId, coordinate) => {
      await ready();
      return (await reads.query(`SELECT 1 FROM ${s}.audit_record r WHERE app_id = $1 AND returned @> ARRAY[$2::text] AND ${delivered} LIMIT 1`, [appId, coordinate])).rowCount! > 0;
    },
    receivedValue: async (appId, digest) => {
      await ready();
      return (await reads.query(`SELECT 1 FROM ${s}.audit_record r WHERE app_id = $1 AND value_digests @> ARRAY[$2::text] AND ${delivered} LIMIT 1`, [appId, digest])).rowCount! > 0;
    },
    withheld,
    checkpointsAfter: async (n, limit) => {
      await ready();
      const rows = (await reads.query(`SELECT checkpoint FROM ${s}.audit_checkpoint WHERE n > $1 ORDER BY n LIMIT $2`, [n, limit])).rows as { checkpoint: string }[];
      return rows.flatMap((r) => parseReplicaCheckpoint(r.checkpoint) ?? []);
    },
    verify,
    checkpoint,
    stats: () => ({ ...counts, queued: queue.length }),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      clearTimeout(reclaim);
      clearTimeout(retry);
      try {
        await draining;
        // One last try for the WITHHELD records still owed; past it they are reported, not waited for.
        if (owed.length > 0) await drain();
        for (const o of owed.splice(0)) o.fail(new AuditTrailUnavailable('NOT_READY', `The audit trail closed before record ${o.link.seq} could be marked WITHHELD.`));
        await checkpoint();
      } finally {
        await claim?.end().catch(() => undefined);
        if (owned) await Promise.all([pool.end(), reads.end()]);
      }
    },
  };
}
