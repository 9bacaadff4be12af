// The access audit trail: one record per request, hash-chained, written synchronously (and
// fsync'd) before the response leaves, so a crash after a response was sent cannot lose it.
// Editing, deleting or reordering records breaks the chain; a head row catches a cut tail.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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
}

export interface StoredRecord extends AccessRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  /** The first record where the chain breaks, and why. */
  brokenAt?: { seq: number; problem: 'edited' | 'deleted-or-reordered' | 'tail-deleted' };
}

export interface AuditLog {
  /** Where the trail is kept (`:memory:` for a trail that lives in this process only). */
  readonly file: string;
  append(record: AccessRecord): StoredRecord;
  /** Several records in one transaction (one write to disk), in order. */
  appendAll(records: readonly AccessRecord[]): StoredRecord[];
  verify(): ChainCheck;
  /** Who received a coordinate, and for what purpose, between two instants. */
  recipients(coordinate: string, from?: string, to?: string): StoredRecord[];
  /** The newest records first, optionally of one app. */
  recent(limit: number, appId?: string | null): StoredRecord[];
  close(): void;
}

const GENESIS = '0'.repeat(64);

export function recordHash(prevHash: string, seq: number, r: AccessRecord): string {
  const canonical = JSON.stringify([seq, r.at, r.appId, r.department, r.purpose, r.operationHash, r.returned, r.denied, r.providers, r.entities, r.outcome, r.status]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
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
}

function fromRow(row: Row): StoredRecord {
  return {
    seq: row.seq, at: row.at, appId: row.app_id, department: row.department, purpose: row.purpose, operationHash: row.operation_hash,
    returned: JSON.parse(row.returned), denied: JSON.parse(row.denied), providers: JSON.parse(row.providers),
    entities: row.entities, outcome: row.outcome, status: row.status, prevHash: row.prev_hash, hash: row.hash,
  };
}

export function openAuditLog(file: string): AuditLog {
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
    CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
  `);
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = db.prepare(`INSERT INTO audit_record VALUES (@seq, @at, @appId, @department, @purpose, @operationHash, @returned, @denied, @providers, @entities, @outcome, @status, @prevHash, @hash)`);
  const insertCoordinate = db.prepare('INSERT OR IGNORE INTO audit_coordinate VALUES (?, ?)');
  const setHead = db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash');
  const all = db.prepare('SELECT * FROM audit_record ORDER BY seq');
  const recipients = db.prepare(
    `SELECT r.* FROM audit_coordinate c JOIN audit_record r ON r.seq = c.seq
     WHERE c.coordinate = ? AND r.at >= ? AND r.at <= ? ORDER BY r.seq`,
  );
  const recent = db.prepare('SELECT * FROM audit_record WHERE (@appId IS NULL OR app_id = @appId) ORDER BY seq DESC LIMIT @limit');

  const appendAll = db.transaction((records: readonly AccessRecord[]): StoredRecord[] => {
    const last = head.get() as { seq: number; hash: string } | undefined;
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS;
    const stored: StoredRecord[] = [];
    for (const record of records) {
      seq += 1;
      const hash = recordHash(prevHash, seq, record);
      insert.run({ ...record, seq, prevHash, hash, returned: JSON.stringify(record.returned), denied: JSON.stringify(record.denied), providers: JSON.stringify(record.providers) });
      for (const coordinate of record.returned) insertCoordinate.run(seq, coordinate);
      stored.push({ ...record, seq, prevHash, hash });
      prevHash = hash;
    }
    setHead.run(seq, prevHash);
    return stored;
  });

  return {
    file,
    append: (record) => appendAll([record])[0]!,
    appendAll,
    verify() {
      let prev = GENESIS;
      let expectedSeq = 1;
      let count = 0;
      for (const row of all.iterate() as Iterable<Row>) {
        const record = fromRow(row);
        if (record.seq !== expectedSeq || record.prevHash !== prev) return { ok: false, records: count, brokenAt: { seq: record.seq, problem: 'deleted-or-reordered' } };
        if (recordHash(prev, record.seq, record) !== record.hash) return { ok: false, records: count, brokenAt: { seq: record.seq, problem: 'edited' } };
        prev = record.hash;
        expectedSeq++;
        count++;
      }
      const last = head.get() as { seq: number; hash: string } | undefined;
      if (last && (last.seq !== count || last.hash !== prev)) return { ok: false, records: count, brokenAt: { seq: count + 1, problem: 'tail-deleted' } };
      return { ok: true, records: count };
    },
    recipients: (coordinate, from = '0000', to = '9999') => (recipients.all(coordinate, from, to) as Row[]).map(fromRow),
    recent: (limit, appId = null) => (recent.all({ limit, appId }) as Row[]).map(fromRow),
    close: () => db.close(),
  };
}
