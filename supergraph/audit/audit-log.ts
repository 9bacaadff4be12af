// The access audit trail: one record per request, hash-chained, written synchronously (and
// fsync'd) before the response leaves, so a crash after a response was sent cannot lose it.
// Editing, deleting or reordering records breaks the chain; a head row catches a cut tail.
// Old records can be moved out to archive segments (retention.ts): a base row then says where
// the archive ends, and the trail here must start right after it. With a signing key, signed
// checkpoints (checkpointer.ts) catch what the chain alone cannot: a chain recomputed after an
// edit, a tail cut with its head row rewritten, a wiped store. The decision trail shares the store.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkEnd, checkLinks, GENESIS, linkRow, NO_LINKS, type ChainLink, type LinkProblem } from './chain.ts';
import { readCheckpointFile, type Checkpoint } from './checkpoint.ts';
import { openCheckpoints, type CheckpointSigning } from './checkpointer.ts';
import { openDecisionLog, type DecisionLog } from './decision-log.ts';
import { checkRecipientsIndex, VALUE_INDEX, type RecipientsProblem } from './recipients-index.ts';
import { signedHeads, type CheckpointProblem, type SignedHeads } from './signed-heads.ts';

export interface AccessRecord {
  at: string;
  appId: string | null;
  department: string | null;
  purpose: string | null;
  operationHash: string | null;
  returned: string[];
  denied: string[];
  providers: string[];
  entities: number;
  outcome: string;
  status: number;
  /** The request's id (`x-request-id`, given or made by the gateway), to find one request again. */
  requestId?: string;
  /** Which records' values were returned, as digests (received-values.ts): what an objection is checked against. */
  valueDigests?: string[];
  /**
   * On a `WITHHELD` record only: the seq, in the same chain, of the record whose answer was withheld
   * after it was written. That record no longer counts as received.
   */
  withholds?: number;
}

/** The outcome of a record that withdraws an earlier one (`withholds`): its answer never left. */
export const WITHHELD = 'WITHHELD';

/** Records were written, then the append still failed (the checkpoint after them): they are on the trail, their answers must not leave. */
export class SealFailed extends Error {
  constructor(readonly written: readonly ChainLink[], cause: unknown) {
    super(`${written.length} audit record(s) were written, but the checkpoint after them failed: ${(cause as Error).message}`, { cause });
    this.name = 'SealFailed';
  }
}

/** What an audit search narrows to; every part optional, the newest records first. */
export interface AuditSearch {
  appId?: string | null;
  /** A purpose code (`tax-inspection`) or a stated purpose (`tax-inspection/CASE-7`). */
  purpose?: string | null;
  /** A coordinate the answer returned. */
  coordinate?: string | null;
  /** A provider asked for the answer. */
  provider?: string | null;
  requestId?: string | null;
  /** ISO instants, inclusive. */
  from?: string | null;
  to?: string | null;
  /** Records before this seq (the next page). */
  beforeSeq?: number | null;
  limit: number;
}

export interface StoredRecord extends AccessRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainProblem =
  | LinkProblem
  /** The trail starts past record 1 and no base row says where the archive ends: the base row, or the records before, were deleted. */
  | 'base-missing'
  /** An archive segment (or the records in it) that should be there is not. */
  | 'segment-missing'
  /** An archive segment's bytes or records differ from what was archived. */
  | 'segment-edited'
  | CheckpointProblem
  | RecipientsProblem
  /** The decision trail's own problems, at a decision's seq. */
  | `decision-${LinkProblem}`;

export interface ChainCheck {
  ok: boolean;
  records: number;
  /** The first record where the chain breaks, and why. */
  brokenAt?: { seq: number; problem: ChainProblem };
  /** The last archived record, when older records were moved to the archive. */
  base?: ChainLink;
  /** Decision records verified, when there are any. */
  decisions?: number;
  /** When checked against signed checkpoints: how many verify, the last record the newest names, and the records written after it. */
  checkpoints?: { count: number; lastSeq: number; after: number };
}

export interface AuditLogOptions {
  /** Signs checkpoints of this trail; without it the trail is hash-chained only. */
  signing?: CheckpointSigning;
}

export interface AuditLog {
  /** Where the trail is kept (`:memory:` for a trail that lives in this process only). */
  readonly file: string;
  readonly options: AuditLogOptions;
  /** The decision trail, in the same store; each decision is followed by a checkpoint. */
  readonly decisions: DecisionLog;
  append(record: AccessRecord): StoredRecord;
  /** Several records in one transaction (one write to disk), in order. */
  appendAll(records: readonly AccessRecord[]): StoredRecord[];
  /**
   * Checks the records kept here, the recipients index and the decision trail, against `signed`
   * (by default the checkpoints of this trail's own signing key, when it has one);
   * `verifyArchive` (retention.ts) checks the archive with them.
   */
  verify(signed?: SignedHeads): ChainCheck;
  /** Signs a checkpoint now unless the last one names the same heads; returns the last checkpoint. */
  checkpoint(): Checkpoint | undefined;
  /** The checkpoints kept in the store (JSON), oldest first. */
  storedCheckpoints(): string[];
  /** The stored checkpoints numbered after `n`, oldest first, at most `limit`. */
  checkpointsAfter(n: number, limit: number): Checkpoint[];
  /** Who received a coordinate, and for what purpose, between two instants (records kept here, not archived ones). */
  recipients(coordinate: string, from?: string, to?: string): StoredRecord[];
  /** Whether an app received a coordinate (records kept here): one indexed lookup, no records read out. */
  received(appId: string, coordinate: string): boolean;
  /** Whether an app received one record's value of a coordinate (records kept here), by its digest. */
  receivedValue(appId: string, valueDigest: string): boolean;
  /** The newest records first, optionally of one app (records kept here, not archived ones). */
  recent(limit: number, appId?: string | null): StoredRecord[];
  /** The newest records matching every part of `search` (records kept here, not archived ones). */
  search(search: AuditSearch): StoredRecord[];
  /**
   * Moves the oldest records out: those before the instant `before`, at most `max`, and only a
   * prefix (it stops at the first record that is not older). `persist` must make them durable
   * elsewhere before it returns; then they are deleted and the base moved to the last of them,
   * all in one transaction that holds the write lock, so appends wait and nothing is lost.
   */
  moveOut(before: string, max: number, persist: (records: readonly StoredRecord[]) => void): StoredRecord[];
  /** Runs `work` holding the trail's write lock, so archive upkeep never interleaves with `moveOut`. */
  exclusive<T>(work: () => T): T;
  /** Signs a last checkpoint (when signing), then closes. */
  close(): void;
}

export function recordHash(prevHash: string, seq: number, r: AccessRecord): string {
  const fields: unknown[] = [seq, r.at, r.appId, r.department, r.purpose, r.operationHash, r.returned, r.denied, r.providers, r.entities, r.outcome, r.status];
  // Records written before request ids (or value digests) were kept hash as they always did.
  if (typeof r.requestId === 'string') fields.push(r.requestId);
  if (typeof r.withholds === 'number') fields.push({ withholds: r.withholds });
  if (Array.isArray(r.valueDigests)) fields.push(r.valueDigests);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

const accessHash = (prevHash: string, r: StoredRecord) => recordHash(prevHash, r.seq, r);

/** Checks that `records` follow `after` one by one (and agree with signed checkpoints); stops at the first that does not. */
export function checkChain(records: Iterable<StoredRecord>, after: ChainLink, signed?: SignedHeads): { records: number; last: ChainLink; brokenAt?: ChainCheck['brokenAt'] } {
  return checkLinks(records, after, accessHash, signed?.access);
}

interface Row {
  seq: number;
  at: string;
  app_id: string | null;
  department: string | null;
  purpose: string | null;
  operation_hash: string | null;
  returned: string;
  denied: string;
  providers: string;
  entities: number;
  outcome: string;
  status: number;
  prev_hash: string;
  hash: string;
  request_id: string | null;
  value_digests: string | null;
  withholds: number | null;
}

function fromRow(row: Row): StoredRecord {
  return {
    seq: row.seq, at: row.at, appId: row.app_id, department: row.department, purpose: row.purpose, operationHash: row.operation_hash,
    returned: JSON.parse(row.returned), denied: JSON.parse(row.denied), providers: JSON.parse(row.providers),
    entities: row.entities, outcome: row.outcome, status: row.status, prevHash: row.prev_hash, hash: row.hash,
    ...(row.request_id !== null ? { requestId: row.request_id } : {}),
    ...(row.value_digests !== null ? { valueDigests: JSON.parse(row.value_digests) } : {}),
    ...(row.withholds !== null ? { withholds: row.withholds } : {}),
  };
}

/** Opens the store and brings its tables up to date: trails made before a column existed gain it, their records keep null. */
function openAuditDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit_record (
      seq INTEGER PRIMARY KEY, at TEXT NOT NULL, app_id TEXT, department TEXT, purpose TEXT, operation_hash TEXT,
      returned TEXT NOT NULL, denied TEXT NOT NULL, providers TEXT NOT NULL, entities INTEGER NOT NULL,
      outcome TEXT NOT NULL, status INTEGER NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS audit_coordinate (seq INTEGER NOT NULL, coordinate TEXT NOT NULL, PRIMARY KEY (coordinate, seq));
  `);
  // Trails made before request ids were kept gain the column; their records keep null.
  const columns = db.prepare("SELECT name FROM pragma_table_info('audit_record')").pluck().all();
  if (!columns.includes('request_id')) db.exec('ALTER TABLE audit_record ADD COLUMN request_id TEXT');
  if (!columns.includes('value_digests')) db.exec('ALTER TABLE audit_record ADD COLUMN value_digests TEXT');
  // Who received a record's value, as the recipients index is for a coordinate: rebuilt from the records to verify it.
  db.exec('CREATE TABLE IF NOT EXISTS audit_value (seq INTEGER NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (digest, seq))');
  if (!columns.includes('withholds')) db.exec('ALTER TABLE audit_record ADD COLUMN withholds INTEGER');
  db.exec(`
    CREATE INDEX IF NOT EXISTS audit_by_request ON audit_record (request_id) WHERE request_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS audit_by_withholds ON audit_record (withholds) WHERE withholds IS NOT NULL;
  `);
  return db;
}

/** Who received what, and the searches. */
function auditQueries(db: Database.Database): Pick<AuditLog, 'recipients' | 'received' | 'receivedValue' | 'recent' | 'search'> {
  // A record a WITHHELD record withdraws was never received: its answer did not leave.
  const delivered = 'NOT EXISTS (SELECT 1 FROM audit_record w WHERE w.withholds = r.seq)';
  const recipients = db.prepare(
    `SELECT r.* FROM audit_coordinate c JOIN audit_record r ON r.seq = c.seq
     WHERE c.coordinate = ? AND r.at >= ? AND r.at <= ? AND ${delivered} ORDER BY r.seq`,
  );
  const received = db.prepare(`SELECT 1 FROM audit_coordinate c JOIN audit_record r ON r.seq = c.seq WHERE c.coordinate = ? AND r.app_id = ? AND ${delivered} LIMIT 1`);
  const receivedValue = db.prepare(`SELECT 1 FROM audit_value v JOIN audit_record r ON r.seq = v.seq WHERE v.digest = ? AND r.app_id = ? AND ${delivered} LIMIT 1`);
  // One statement for every search: a part left null matches everything.
  const search = db.prepare(
    `SELECT * FROM audit_record r
     WHERE (@appId IS NULL OR r.app_id = @appId)
       AND (@purpose IS NULL OR r.purpose = @purpose OR r.purpose LIKE @purposePrefix ESCAPE '\\')
       AND (@requestId IS NULL OR r.request_id = @requestId)
       AND (@from IS NULL OR r.at >= @from) AND (@to IS NULL OR r.at <= @to)
       AND (@beforeSeq IS NULL OR r.seq < @beforeSeq)
       AND (@coordinate IS NULL OR r.seq IN (SELECT seq FROM audit_coordinate WHERE coordinate = @coordinate))
       AND (@provider IS NULL OR EXISTS (SELECT 1 FROM json_each(r.providers) WHERE value = @provider))
     ORDER BY r.seq DESC LIMIT @limit`,
  );
  const searched = (q: AuditSearch): StoredRecord[] =>
    (search.all({
      appId: q.appId ?? null, purpose: q.purpose ?? null, purposePrefix: q.purpose ? `${q.purpose.replace(/[\\%_]/g, (c) => `\\${c}`)}/%` : null,
      requestId: q.requestId ?? null, from: q.from ?? null, to: q.to ?? null, beforeSeq: q.beforeSeq ?? null,
      coordinate: q.coordinate ?? null, provider: q.provider ?? null, limit: q.limit,
    }) as Row[]).map(fromRow);
  return {
    recipients: (coordinate, from = '0000', to = '9999') => (recipients.all(coordinate, from, to) as Row[]).map(fromRow),
    received: (appId, coordinate) => received.get(coordinate, appId) !== undefined,
    receivedValue: (appId, digest) => receivedValue.get(digest, appId) !== undefined,
    recent: (limit, appId = null) => searched({ limit, appId }),
    search: searched,
  };
}

type LinkRow = ReturnType<typeof linkRow>;

/** Appends records after the head, with their coordinates and value digests indexed, in one transaction. */
function recordAppender(db: Database.Database, head: LinkRow) {
  const insert = db.prepare(
    `INSERT INTO audit_record (seq, at, app_id, department, purpose, operation_hash, returned, denied, providers, entities, outcome, status, prev_hash, hash, request_id, value_digests, withholds)
     VALUES (@seq, @at, @appId, @department, @purpose, @operationHash, @returned, @denied, @providers, @entities, @outcome, @status, @prevHash, @hash, @requestId, @valueDigests, @withholds)`,
  );
  const insertCoordinate = db.prepare('INSERT OR IGNORE INTO audit_coordinate VALUES (?, ?)');
  const insertValue = db.prepare('INSERT OR IGNORE INTO audit_value VALUES (?, ?)');
  return db.transaction((records: readonly AccessRecord[]): StoredRecord[] => {
    const last = head.get();
    let seq = last?.seq ?? GENESIS.seq;
    let prevHash = last?.hash ?? GENESIS.hash;
    const stored: StoredRecord[] = [];
    for (const record of records) {
      seq += 1;
      const hash = recordHash(prevHash, seq, record);
      insert.run({ ...record, seq, prevHash, hash, returned: JSON.stringify(record.returned), denied: JSON.stringify(record.denied), providers: JSON.stringify(record.providers), requestId: record.requestId ?? null, valueDigests: record.valueDigests ? JSON.stringify(record.valueDigests) : null, withholds: record.withholds ?? null });
      for (const coordinate of record.returned) insertCoordinate.run(seq, coordinate);
      for (const digest of record.valueDigests ?? []) insertValue.run(seq, digest);
      stored.push({ ...record, seq, prevHash, hash });
      prevHash = hash;
    }
    head.set({ seq, hash: prevHash });
    return stored;
  });
}

/** Moves the oldest records out (to an archive segment, by `persist`) and sets the base after them. */
function recordMover(db: Database.Database, base: LinkRow, inOrder: () => Iterable<StoredRecord>) {
  const deleteRecords = db.prepare('DELETE FROM audit_record WHERE seq <= ?');
  const deleteCoordinate = db.prepare('DELETE FROM audit_coordinate WHERE coordinate = ? AND seq <= ?');
  const deleteValue = db.prepare('DELETE FROM audit_value WHERE digest = ? AND seq <= ?');
  return db.transaction((before: string, max: number, persist: (records: readonly StoredRecord[]) => void): StoredRecord[] => {
    const prefix: StoredRecord[] = [];
    for (const record of inOrder()) {
      if (record.at >= before || prefix.length >= max) break;
      prefix.push(record);
    }
    const last = prefix.at(-1);
    if (!last) return prefix;
    persist(prefix);
    // By coordinate, a range of the primary key each: the index has no other order to delete by.
    for (const coordinate of new Set(prefix.flatMap((r) => r.returned))) deleteCoordinate.run(coordinate, last.seq);
    for (const digest of new Set(prefix.flatMap((r) => r.valueDigests ?? []))) deleteValue.run(digest, last.seq);
    deleteRecords.run(last.seq);
    base.set(last);
    return prefix;
  });
}

// One snapshot for the whole walk: records, head, index and decisions as they stood together,
// while another connection (the writer thread) goes on appending. Read in separate statements,
// a head moved on since the records were read would look like a cut tail.
function snapshotVerifier(db: Database.Database, { head, base, decisions, inOrder }: { head: LinkRow; base: LinkRow; decisions: DecisionLog; inOrder: () => Iterable<StoredRecord> }) {
  return db.transaction((signed: SignedHeads | undefined): ChainCheck => {
    const from = base.get();
    const check = checkChain(inOrder(), from ?? GENESIS, signed);
    const decided = decisions.verify(signed?.decisions);
    const result = (brokenAt?: ChainCheck['brokenAt']): ChainCheck => ({
      ok: !brokenAt,
      records: check.records,
      ...(brokenAt ? { brokenAt } : {}),
      ...(from ? { base: from } : {}),
      ...(decided.records > 0 ? { decisions: decided.records } : {}),
      ...(signed ? { checkpoints: { count: signed.count, lastSeq: signed.last?.access.seq ?? 0, after: Math.max(0, check.last.seq - (signed.last?.access.seq ?? 0)) } } : {}),
    });
    if (signed?.brokenAt) return result(signed.brokenAt);
    if (check.brokenAt) {
      const startsLate = !from && check.records === 0 && check.brokenAt.seq > 1;
      return result(startsLate ? { seq: check.brokenAt.seq, problem: 'base-missing' } : check.brokenAt);
    }
    const end = checkEnd(check.last, head.get(), signed?.access ?? NO_LINKS, !from && check.records === 0);
    if (end) return result(end);
    const index = checkRecipientsIndex(db) ?? checkRecipientsIndex(db, VALUE_INDEX);
    if (index) return result(index);
    return result(decided.brokenAt && { seq: decided.brokenAt.seq, problem: `decision-${decided.brokenAt.problem}` });
  });
}

export function openAuditLog(file: string, options: AuditLogOptions = {}): AuditLog {
  const db = openAuditDatabase(file);
  const head = linkRow(db, 'audit_head');
  const base = linkRow(db, 'audit_base');
  const all = db.prepare('SELECT * FROM audit_record ORDER BY seq');
  const inOrder = function* (): Generator<StoredRecord> {
    for (const row of all.iterate() as Iterable<Row>) yield fromRow(row);
  };
  const { signing } = options;
  const checkpoints = openCheckpoints(db, () => ({ access: head.get() ?? GENESIS, decisions: decisions.head() }), signing);
  const decisions = openDecisionLog(db, () => void checkpoints.write());
  /** What this trail's own checkpoints vouch for: those in its file and those stored here. */
  const ownSigned = (): SignedHeads | undefined =>
    signing && signedHeads({ stored: checkpoints.stored(), ...(existsSync(signing.checkpointsFile) ? { file: readCheckpointFile(signing.checkpointsFile) } : {}) }, { operator: signing.key.publicKey });
  const appendAll = recordAppender(db, head);
  const moveOut = recordMover(db, base, inOrder);
  const verifyInSnapshot = snapshotVerifier(db, { head, base, decisions, inOrder });

  // Immediate: the write lock is taken before the head is read, so an archival committed by
  // another connection in between cannot make the append fail. The checkpoint is a transaction
  // of its own, after the records are durable: it never vouches for records that were not written.
  const appendSealed = (records: readonly AccessRecord[]): StoredRecord[] => {
    const stored = appendAll.immediate(records);
    try {
      if (signing && checkpoints.unsealed() >= signing.everyRecords) checkpoints.write();
    } catch (error) {
      throw new SealFailed(stored.map(({ seq, hash }) => ({ seq, hash })), error);
    }
    return stored;
  };

  return {
    file,
    options,
    decisions,
    append: (record) => appendSealed([record])[0]!,
    appendAll: appendSealed,
    verify: (signed = ownSigned()) => verifyInSnapshot(signed),
    checkpoint: () => checkpoints.write(),
    storedCheckpoints: () => checkpoints.stored(),
    checkpointsAfter: (n, limit) => checkpoints.after(n, limit),
    ...auditQueries(db),
    moveOut: (before, max, persist) => moveOut.immediate(before, max, persist),
    exclusive: (work) => db.transaction(work).immediate(),
    close() {
      try {
        checkpoints.write();
      } finally {
        db.close();
      }
    },
  };
}
