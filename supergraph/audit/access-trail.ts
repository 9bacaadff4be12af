// The access trail as the gateway reads and writes it, whichever store keeps it: the SQLite
// AuditLog of one replica (its group commit unchanged) or the PostgreSQL trail replicas share.
// Every call is async; an append resolves only once its record is durable.

import type { AccessRecord, AuditLog, AuditSearch, StoredRecord } from './audit-log.ts';
import { groupCommit, type RecordAccess } from './group-commit.ts';
import type { PostgresAuditTrail } from './postgres-audit-trail.ts';

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
  brokenAt?: { seq: number; problem: string; replica?: string };
}

export interface AccessTrail {
  /** Shared by replicas (PostgreSQL): the decision trail is then a store of its own, verified apart. */
  readonly shared: boolean;
  /** Resolves once the record is durable; rejects when it cannot be, and the answer must not leave. */
  append(record: AccessRecord): Promise<void>;
  search(search: AccessSearch): Promise<FoundRecord[]>;
  /** Who received a coordinate between two instants, oldest first. */
  recipients(coordinate: string, from?: string, to?: string): Promise<FoundRecord[]>;
  received(appId: string, coordinate: string): Promise<boolean>;
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
  const found = (r: StoredRecord): FoundRecord => ({ ...r, cursor: String(r.seq) });
  return {
    shared: false,
    append: (record) => (writer ??= groupCommit(audit))(record),
    async search({ before, ...search }) {
      const beforeSeq = before == null ? null : Number(before);
      if (beforeSeq !== null && !Number.isSafeInteger(beforeSeq)) throw new BadCursor(before!);
      return audit.search({ ...search, beforeSeq }).map(found);
    },
    recipients: async (coordinate, from, to) => audit.recipients(coordinate, from, to).map(found),
    received: async (appId, coordinate) => audit.received(appId, coordinate),
    verify: async () => audit.verify(),
    probe: async () => void audit.recent(1),
    async close() {
      const closing = writer;
      writer = undefined;
      await closing?.close();
    },
  };
}

/** The trail replicas share: a record's cursor names its time, chain and place in the chain. */
export function postgresAccessTrail(trail: PostgresAuditTrail): AccessTrail {
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
    append: async (record) => void (await trail.append(record)),
    search: async ({ before, ...search }) => (await trail.search({ ...search, before: before == null ? null : parseCursor(before) })).map(found),
    recipients: async (coordinate, from, to) => (await trail.recipients(coordinate, from, to)).map(found),
    received: (appId, coordinate) => trail.received(appId, coordinate),
    async verify() {
      const check = await trail.verify();
      const broken = check.brokenAt;
      return {
        ok: check.ok,
        records: check.records,
        ...(broken ? { brokenAt: 'replica' in broken ? { seq: broken.seq, problem: broken.problem, replica: broken.replica } : { seq: broken.checkpoint, problem: `checkpoint-${broken.problem}` } } : {}),
      };
    },
    probe: async () => void (await trail.recent(1)),
    close: () => trail.close(),
  };
}
