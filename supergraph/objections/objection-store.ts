// Data objections (verification and correction): a requester reports a value it believes wrong;
// the owning provider confirms and corrects it, or rejects the objection with a reason, before
// a deadline. SQLite by default, plain SQL; replicas share PostgreSQL (postgres-objection-store.ts).

import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type ObjectionStatus = 'OPEN' | 'CONFIRMED' | 'REJECTED';

export interface Objection {
  id: string;
  coordinate: string;
  /** `Type:key`, e.g. `Enterprise:91660106095142596A`. */
  entityKey: string;
  observedValue: string;
  comment: string;
  evidence: string | null;
  appId: string;
  filedAt: string;
  deadline: string;
  status: ObjectionStatus;
  answeredBy: string | null;
  answeredAt: string | null;
  reason: string | null;
  correctedValue: string | null;
}

export interface ObjectionStore {
  insert(o: Omit<Objection, 'id' | 'status' | 'answeredBy' | 'answeredAt' | 'reason' | 'correctedValue'>): Promise<Objection>;
  get(id: string): Objection | undefined;
  list(status?: ObjectionStatus): Objection[];
  /** False, changing nothing, when the objection was answered already. */
  answer(id: string, status: Exclude<ObjectionStatus, 'OPEN'>, by: string, at: string, reason: string, correctedValue: string | null): Promise<boolean>;
  /** Told when objections changed, through this replica or another (a store shared by replicas only). */
  onChange?(listener: () => void): void;
  close(): void;
}

export function openSqliteObjectionStore(file: string): ObjectionStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS objection (
    id VARCHAR(64) PRIMARY KEY, coordinate VARCHAR(256) NOT NULL, entity_key VARCHAR(256) NOT NULL,
    observed_value TEXT NOT NULL, comment TEXT NOT NULL, evidence TEXT, app_id VARCHAR(128) NOT NULL,
    filed_at VARCHAR(32) NOT NULL, deadline VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL,
    answered_by VARCHAR(128), answered_at VARCHAR(32), reason TEXT, corrected_value TEXT
  );
  CREATE INDEX IF NOT EXISTS objection_by_status ON objection (status, coordinate, entity_key);`);
  const insert = db.prepare(`INSERT INTO objection (id, coordinate, entity_key, observed_value, comment, evidence, app_id, filed_at, deadline, status)
    VALUES (@id, @coordinate, @entityKey, @observedValue, @comment, @evidence, @appId, @filedAt, @deadline, 'OPEN')`);
  const columns = `id, coordinate, entity_key AS entityKey, observed_value AS observedValue, comment, evidence, app_id AS appId,
    filed_at AS filedAt, deadline, status, answered_by AS answeredBy, answered_at AS answeredAt, reason, corrected_value AS correctedValue`;
  const one = db.prepare(`SELECT ${columns} FROM objection WHERE id = ?`);
  const all = db.prepare(`SELECT ${columns} FROM objection WHERE (@status IS NULL OR status = @status) ORDER BY filed_at DESC, id`);
  const answer = db.prepare("UPDATE objection SET status = ?, answered_by = ?, answered_at = ?, reason = ?, corrected_value = ? WHERE id = ? AND status = 'OPEN'");
  return {
    async insert(o) {
      const id = randomUUID();
      insert.run({ ...o, id });
      return one.get(id) as Objection;
    },
    get: (id) => one.get(id) as Objection | undefined,
    list: (status) => all.all({ status: status ?? null }) as Objection[],
    answer: async (id, status, by, at, reason, correctedValue) => answer.run(status, by, at, reason, correctedValue, id).changes > 0,
    close: () => db.close(),
  };
}
