// Where applications live. A small interface; the embedded default is SQLite (no server), and
// replicas share PostgreSQL (postgres-grant-store.ts). Reads are synchronous (a data request waits
// on no store); writes resolve once stored.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Party } from '../identity/index.ts';
import type { Application, Decision, PartyAnswer } from './application.ts';

export interface GrantStore {
  insert(application: Application): Promise<void>;
  get(id: string): Application | undefined;
  /** Applications, newest first, optionally of one app. */
  list(filter?: { appId?: string }): Application[];
  /** False, changing nothing, when the party answered already or the application is no longer pending. */
  answer(id: string, party: Party, decision: Decision, reason: string | null, at: string, by: string): Promise<boolean>;
  /** False, changing nothing, when the application was revoked already. */
  revoke(id: string, by: string, reason: string, at: string): Promise<boolean>;
  /** Applications of an app still waiting for a party's answer (not refused, revoked or expired). */
  countPending(appId: string, at: string): number;
  /** Changes whenever any application changes, through this store or another process. */
  version(): number;
  close(): void;
}

interface ApplicationRow {
  id: string;
  app_id: string;
  purpose: string;
  basis: string;
  coordinates: string;
  selector: string | null;
  row_scope: string;
  expires_at: string;
  filed_at: string;
  reply_deadline: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

const DDL = `
  CREATE TABLE IF NOT EXISTS application (
    id VARCHAR(64) PRIMARY KEY,
    app_id VARCHAR(128) NOT NULL,
    purpose VARCHAR(256) NOT NULL,
    basis TEXT NOT NULL,
    coordinates TEXT NOT NULL,
    selector TEXT,
    row_scope VARCHAR(16) NOT NULL,
    expires_at VARCHAR(32) NOT NULL,
    filed_at VARCHAR(32) NOT NULL,
    reply_deadline VARCHAR(32) NOT NULL,
    revoked_at VARCHAR(32),
    revoked_by VARCHAR(128),
    revoke_reason TEXT
  );
  CREATE INDEX IF NOT EXISTS application_by_app ON application (app_id);
  CREATE TABLE IF NOT EXISTS application_party (
    application_id VARCHAR(64) NOT NULL REFERENCES application (id),
    party VARCHAR(128) NOT NULL,
    decision VARCHAR(16) NOT NULL,
    reason TEXT,
    answered_at VARCHAR(32),
    PRIMARY KEY (application_id, party)
  );
`;

export function openSqliteGrantStore(file: string): GrantStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(DDL);
  // Answers stored before principals were recorded name their party only.
  const columns = db.prepare("SELECT name FROM pragma_table_info('application_party')").pluck().all();
  if (!columns.includes('answered_by')) db.exec('ALTER TABLE application_party ADD COLUMN answered_by VARCHAR(256)');
  const insertApplication = db.prepare(
    `INSERT INTO application (id, app_id, purpose, basis, coordinates, selector, row_scope, expires_at, filed_at, reply_deadline)
     VALUES (@id, @appId, @purpose, @basis, @coordinates, @selector, @rowScope, @expiresAt, @filedAt, @replyDeadline)`,
  );
  const insertParty = db.prepare('INSERT INTO application_party (application_id, party, decision, reason, answered_at) VALUES (?, ?, ?, ?, ?)');
  const selectOne = db.prepare('SELECT * FROM application WHERE id = ?');
  const selectAll = db.prepare('SELECT * FROM application ORDER BY filed_at DESC, id DESC');
  const selectByApp = db.prepare('SELECT * FROM application WHERE app_id = ? ORDER BY filed_at DESC, id DESC');
  const selectParties = db.prepare(
    "SELECT party, decision, reason, answered_at, answered_by FROM application_party WHERE application_id = ? ORDER BY CASE WHEN party = 'operator' THEN 0 ELSE 1 END, party",
  );
  const updateParty = db.prepare("UPDATE application_party SET decision = ?, reason = ?, answered_at = ?, answered_by = ? WHERE application_id = ? AND party = ? AND decision = 'PENDING'");
  const updateRevoked = db.prepare('UPDATE application SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL');

  // data_version moves when another connection commits; this connection's writes are counted here.
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const pendingOfApp = db.prepare(
    `SELECT COUNT(*) FROM application a WHERE a.app_id = ? AND a.revoked_at IS NULL AND a.expires_at > ?
       AND EXISTS (SELECT 1 FROM application_party p WHERE p.application_id = a.id AND p.decision = 'PENDING')
       AND NOT EXISTS (SELECT 1 FROM application_party p WHERE p.application_id = a.id AND p.decision = 'REFUSED')`,
  ).pluck();
  let ownWrites = 0;
  const written = <A extends unknown[], R>(write: (...args: A) => R) => async (...args: A) => {
    const result = write(...args);
    ownWrites++;
    return result;
  };

  const hydrate = (row: ApplicationRow): Application => ({
    id: row.id,
    appId: row.app_id,
    purpose: row.purpose,
    basis: row.basis,
    coordinates: JSON.parse(row.coordinates) as string[],
    selector: row.selector,
    rowScope: row.row_scope as Application['rowScope'],
    expiresAt: row.expires_at,
    filedAt: row.filed_at,
    replyDeadline: row.reply_deadline,
    parties: (selectParties.all(row.id) as { party: string; decision: Decision; reason: string | null; answered_at: string | null; answered_by: string | null }[]).map(
      (p): PartyAnswer => ({ party: p.party, decision: p.decision, reason: p.reason, answeredAt: p.answered_at, answeredBy: p.answered_by ?? (p.answered_at ? p.party : null) }),
    ),
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  });

  return {
    insert: written(db.transaction((a: Application) => {
      insertApplication.run({ ...a, coordinates: JSON.stringify(a.coordinates) });
      for (const p of a.parties) insertParty.run(a.id, p.party, p.decision, p.reason, p.answeredAt);
    })),
    get: (id) => {
      const row = selectOne.get(id) as ApplicationRow | undefined;
      return row ? hydrate(row) : undefined;
    },
    list: (filter) => ((filter?.appId ? selectByApp.all(filter.appId) : selectAll.all()) as ApplicationRow[]).map(hydrate),
    answer: written((id: string, party: Party, decision: Decision, reason: string | null, at: string, by: string) => updateParty.run(decision, reason, at, by, id, party).changes > 0),
    revoke: written((id: string, by: string, reason: string, at: string) => updateRevoked.run(at, by, reason, id).changes > 0),
    countPending: (appId, at) => pendingOfApp.get(appId, at) as number,
    version: () => (dataVersion.get() as number) * 1_000_000 + ownWrites,
    close: () => db.close(),
  };
}
