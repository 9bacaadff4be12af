// The audit trail as the gateway reads and writes it, whichever store keeps it: the SQLite
// AuditLog of one replica (its group commit unchanged) or the PostgreSQL trail replicas share.
// It holds the access records and, as `decisions`, the decision records. Every call is async; an
// append resolves only once its record is durable.

import type { AccessRecord, AuditLog, AuditSearch, StoredRecord } from './audit-log.ts';
import type { ChainLink } from './chain.ts';
import type { Checkpoint } from './checkpoint.ts';
import { withheldRecord } from './withheld-answers.ts';
import { groupCommit, type RecordAccess } from './group-commit.ts';
import { fileDigest, OPERATOR_FILE, type Decision, type StoredDecision } from './decision-log.ts';
import type { PostgresAuditTrail, PostgresChainCheck } from './postgres-audit-trail.ts';
import { valueDigest } from './received-values.ts';
import type { ReplicaCheckpoint } from './replica-chains.ts';

/** A record as found, with where the next page starts (`before`) and, on the shared trail, its replica's chain. */
export interface FoundRecord extends StoredRecord {
  replica?: string;
  cursor: string;
}

/** The trail's search, paged by the `cursor` of the last record of the page before. */
export type AccessSearch = Omit<AuditSearch, 'beforeSeq'> & { before?: string | null };

export interface AccessTrailCheck {
  ok: boolean;
  records: number;
  /** Decision records checked. */
  decisions: number;
  /** A decision record's problem is named `decision-…`. */
  brokenAt?: { seq: number; problem: string; replica?: string };
}

/** Who decided what (grant answers, keys, principals, publications, the operator's files). */
export interface DecisionTrail {
  /** Resolves once the decision is durable (and signed over, when the trail is signed). */
  append(decision: Decision): Promise<StoredDecision>;
  /** Appends the file's SHA-256 unless the last record of this action already names the same digest. */
  appendFileDigest(action: 'label-overlay' | 'app-registry', file: string, at: string): Promise<StoredDecision | undefined>;
  /** Newest first. */
  recent(limit: number): Promise<StoredDecision[]>;
}

export interface AccessTrail {
  /** Shared by replicas (PostgreSQL), decisions included. */
  readonly shared: boolean;
  readonly decisions: DecisionTrail;
  /** Ready to write: the store migrated and, when shared and signed, the audit key the same as the other replicas'. */
  start(): Promise<void>;
  /** Signs a checkpoint of the trail now unless the last one names the same heads; the last checkpoint. */
  checkpoint(): Promise<Checkpoint | undefined>;
  /** Where this replica's signed checkpoints are kept beside the key, when the trail is signed (providers' countersignatures go beside it). */
  readonly checkpointsFile?: string;
  /** Resolves once the record is durable; rejects when it cannot be, and the answer must not leave. */
  append(record: AccessRecord): Promise<void>;
  /**
   * The answer `record` was appended for did not leave, with `status`: when the record is on the
   * trail all the same, a WITHHELD record naming it follows it (the app is no recipient of it).
   * True once written, false when the record is not on the trail.
   */
  withheld(record: AccessRecord, status: number): Promise<boolean>;
  /** The checkpoints numbered after `n`, oldest first, at most `limit`: what the providers are asked to countersign. */
  checkpointsAfter(n: number, limit: number): Promise<Checkpoint[]>;
  search(search: AccessSearch): Promise<FoundRecord[]>;
  /** Who received a coordinate between two instants, oldest first. */
  recipients(coordinate: string, from?: string, to?: string): Promise<FoundRecord[]>;
  received(appId: string, coordinate: string): Promise<boolean>;
  /** Whether an app received one record's value of a coordinate (`Enterprise.name` of `Enterprise:9166…`). */
  receivedValue(appId: string, coordinate: string, entityKey: string): Promise<boolean>;
  verify(): Promise<AccessTrailCheck>;
  /** Rejects while the store cannot be read (readiness). */
  probe(): Promise<void>;
  /** Writes what is queued and stops writing. */
  close(): Promise<void>;
}

/** A cursor that is not this trail's own: refused, rather than a page of the wrong records. */
export class BadCursor extends Error {
  constructor(cursor: string) {
    super(`"${cursor}" is not a page cursor of this audit trail; page with the cursor of a record it returned.`);
    this.name = 'BadCursor';
  }
}

/** One replica's SQLite trail: its writer (a worker thread for a file) starts with the first append and is closed with the gateway. */
export function sqliteAccessTrail(audit: AuditLog): AccessTrail {
  let writer: RecordAccess | undefined;
  // Records of failed batches that were written all the same, and where.
  const writtenAt = new WeakMap<AccessRecord, ChainLink>();
  const write = (record: AccessRecord) => (writer ??= groupCommit(audit, (r, link) => writtenAt.set(r, link)))(record);
  const found = (r: StoredRecord): FoundRecord => ({ ...r, cursor: String(r.seq) });
  return {
    shared: false,
    decisions: {
      append: async (decision) => audit.decisions.append(decision),
      appendFileDigest: async (action, file, at) => audit.decisions.appendFileDigest(action, file, at),
      recent: async (limit) => audit.decisions.recent(limit),
    },
    start: async () => undefined,
    checkpoint: async () => audit.checkpoint(),
    ...(audit.options.signing ? { checkpointsFile: audit.options.signing.checkpointsFile } : {}),
    append: write,
    async withheld(record, status) {
      const link = writtenAt.get(record);
      if (!link) return false;
      const compensation = withheldRecord(record, link.seq, status);
      // Written is enough: a checkpoint failing after it again does not undo it.
      await write(compensation).catch((error) => {
        if (!writtenAt.has(compensation)) throw error;
      });
      return true;
    },
    checkpointsAfter: async (n, limit) => audit.checkpointsAfter(n, limit),
    async search({ before, ...search }) {
      const beforeSeq = before == null ? null : Number(before);
      if (beforeSeq !== null && !Number.isSafeInteger(beforeSeq)) throw new BadCursor(before!);
      return audit.search({ ...search, beforeSeq }).map(found);
    },
    recipients: async (coordinate, from, to) => audit.recipients(coordinate, from, to).map(found),
    received: async (appId, coordinate) => audit.received(appId, coordinate),
    receivedValue: async (appId, coordinate, entityKey) => audit.receivedValue(appId, valueDigest(coordinate, entityKey)),
    async verify() {
      const { ok, records, decisions, brokenAt } = audit.verify();
      return { ok, records, decisions: decisions ?? 0, ...(brokenAt ? { brokenAt } : {}) };
    },
    probe: async () => void audit.recent(1),
    async close() {
      const closing = writer;
      writer = undefined;
      await closing?.close();
    },
  };
}

/**
 * The trail replicas share: a record's cursor names its time, chain and place in the chain.
 * `copies`: the checkpoints kept outside the store (files beside the key), checked with it.
 */
export function postgresAccessTrail(trail: PostgresAuditTrail, copies: () => readonly ReplicaCheckpoint[] = () => [], checkpointsFile?: string): AccessTrail {
  const found = (r: StoredRecord & { replica: string }): FoundRecord => ({ ...r, cursor: JSON.stringify([r.at, r.replica, r.seq]) });
  const parseCursor = (cursor: string) => {
    try {
      const [at, replica, seq] = JSON.parse(cursor) as unknown[];
      if (typeof at === 'string' && typeof replica === 'string' && Number.isSafeInteger(seq)) return { at, replica, seq: seq as number };
    } catch {
      // Falls through to the refusal.
    }
    throw new BadCursor(cursor);
  };
  return {
    shared: true,
    decisions: {
      append: (decision) => trail.appendDecision(decision),
      appendFileDigest: (action, file, at) =>
        trail.appendDecisionIfChanged({ at, who: OPERATOR_FILE, action, subject: file, coordinates: [], decision: null, reason: null, detail: fileDigest(file) }),
      recent: (limit) => trail.recentDecisions(limit),
    },
    start: () => trail.start(),
    checkpoint: () => trail.checkpoint(),
    ...(checkpointsFile ? { checkpointsFile } : {}),
    append: async (record) => void (await trail.append(record)),
    withheld: (record, status) => trail.withheld(record, status),
    checkpointsAfter: (n, limit) => trail.checkpointsAfter(n, limit),
    search: async ({ before, ...search }) => (await trail.search({ ...search, before: before == null ? null : parseCursor(before) })).map(found),
    recipients: async (coordinate, from, to) => (await trail.recipients(coordinate, from, to)).map(found),
    received: (appId, coordinate) => trail.received(appId, coordinate),
    receivedValue: (appId, coordinate, entityKey) => trail.receivedValue(appId, valueDigest(coordinate, entityKey)),
    async verify() {
      const check = await trail.verify(undefined, copies());
      return { ok: check.ok, records: check.records, decisions: check.decisions, ...(check.brokenAt ? { brokenAt: sharedProblem(check.brokenAt) } : {}) };
    },
    probe: () => trail.ping(),
    close: () => trail.close(),
  };
}

/** A shared trail's problem as the gateway names it: a replica's record, a checkpoint (by number), or a decision record. */
export function sharedProblem(broken: NonNullable<PostgresChainCheck['brokenAt']>): NonNullable<AccessTrailCheck['brokenAt']> {
  if ('replica' in broken) return { seq: broken.seq, problem: broken.problem, replica: broken.replica };
  if ('checkpoint' in broken) return { seq: broken.checkpoint, problem: broken.problem };
  return { seq: broken.decision, problem: `decision-${broken.problem}` };
}
