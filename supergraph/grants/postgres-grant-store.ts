// Applications on PostgreSQL, shared by replicas: every application is kept in memory (reads are
// synchronous, and the grant service's memo moves with `version()`), writes go to PostgreSQL in a
// transaction that announces them to the other replicas. Whether a party may still answer is
// decided in SQL, under the application's row lock: of two replicas answering at once, one wins.

import type { PoolClient } from 'pg';
import type { Party } from '../identity/index.ts';
import { openMirror, type Postgres } from '../stores/index.ts';
import type { Application, Decision } from './application.ts';
import type { GrantStore } from './grant-store.ts';

interface Row {
  id: string; app_id: string; purpose: string; basis: string; coordinates: string[]; selector: string | null; row_scope: Application['rowScope'];
  expires_at: string; filed_at: string; reply_deadline: string; revoked_at: string | null; revoked_by: string | null; revoke_reason: string | null;
}

interface PartyRow { application_id: string; party: string; decision: Decision; reason: string | null; answered_at: string | null; answered_by: string | null }

const PARTIES = `SELECT * FROM application_party %WHERE% ORDER BY application_id, CASE WHEN party = 'operator' THEN 0 ELSE 1 END, party`;

function hydrate(row: Row, parties: PartyRow[]): Application {
  return {
    id: row.id, appId: row.app_id, purpose: row.purpose, basis: row.basis, coordinates: row.coordinates, selector: row.selector, rowScope: row.row_scope,
    expiresAt: row.expires_at, filedAt: row.filed_at, replyDeadline: row.reply_deadline,
    parties: parties.map((p) => ({ party: p.party, decision: p.decision, reason: p.reason, answeredAt: p.answered_at, answeredBy: p.answered_by })),
    revokedAt: row.revoked_at, revokedBy: row.revoked_by, revokeReason: row.revoke_reason,
  };
}

const newestFirst = (a: Application, b: Application) => (a.filedAt === b.filedAt ? (a.id < b.id ? 1 : -1) : a.filedAt < b.filedAt ? 1 : -1);

/** Locks the application for this transaction; false when it is revoked, refused or expired (no longer answerable). */
async function lockOpen(client: PoolClient, id: string, at: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM application a WHERE a.id = $1 AND a.revoked_at IS NULL AND a.expires_at > $2
       AND NOT EXISTS (SELECT 1 FROM application_party p WHERE p.application_id = a.id AND p.decision = 'REFUSED') FOR UPDATE`,
    [id, at],
  );
  return rows.length > 0;
}

export async function openPostgresGrantStore(pg: Postgres): Promise<GrantStore> {
  let byId = new Map<string, Application>();
  const mirror = await openMirror(pg, 'grants', {
    async loadAll() {
      const [rows, parties] = await Promise.all([pg.query<Row>('SELECT * FROM application'), pg.query<PartyRow>(PARTIES.replace('%WHERE%', ''))]);
      const partiesOf = new Map<string, PartyRow[]>();
      for (const p of parties) partiesOf.set(p.application_id, [...(partiesOf.get(p.application_id) ?? []), p]);
      byId = new Map(rows.map((row) => [row.id, hydrate(row, partiesOf.get(row.id) ?? [])]));
    },
    async reload(id) {
      const [rows, parties] = await Promise.all([
        pg.query<Row>('SELECT * FROM application WHERE id = $1', [id]),
        pg.query<PartyRow>(PARTIES.replace('%WHERE%', 'WHERE application_id = $1'), [id]),
      ]);
      if (rows[0]) byId.set(id, hydrate(rows[0], parties));
      else byId.delete(id);
    },
  });

  return {
    async insert(a) {
      await pg.write({ store: 'grants', id: a.id }, async (client) => {
        await client.query(
          `INSERT INTO application (id, app_id, purpose, basis, coordinates, selector, row_scope, expires_at, filed_at, reply_deadline)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [a.id, a.appId, a.purpose, a.basis, JSON.stringify(a.coordinates), a.selector, a.rowScope, a.expiresAt, a.filedAt, a.replyDeadline],
        );
        for (const p of a.parties) {
          await client.query('INSERT INTO application_party (application_id, party, decision, reason, answered_at, answered_by) VALUES ($1, $2, $3, $4, $5, $6)', [a.id, p.party, p.decision, p.reason, p.answeredAt, p.answeredBy]);
        }
      });
      await mirror.written(a.id);
    },
    get: (id) => byId.get(id),
    list: (filter) => [...byId.values()].filter((a) => !filter?.appId || a.appId === filter.appId).sort(newestFirst),
    async answer(id: string, party: Party, decision: Decision, reason: string | null, at: string, by: string) {
      const answered = await pg.write({ store: 'grants', id }, async (client) => {
        if (!(await lockOpen(client, id, at))) return false;
        const updated = await client.query(
          "UPDATE application_party SET decision = $1, reason = $2, answered_at = $3, answered_by = $4 WHERE application_id = $5 AND party = $6 AND decision = 'PENDING'",
          [decision, reason, at, by, id, party],
        );
        return updated.rowCount === 1;
      });
      await mirror.written(id);
      return answered;
    },
    async revoke(id, by, reason, at) {
      const revoked = await pg.write({ store: 'grants', id }, async (client) => {
        const updated = await client.query('UPDATE application SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE id = $4 AND revoked_at IS NULL', [at, by, reason, id]);
        return updated.rowCount === 1;
      });
      await mirror.written(id);
      return revoked;
    },
    countPending: (appId, at) =>
      [...byId.values()].filter(
        (a) => a.appId === appId && !a.revokedAt && a.expiresAt > at && a.parties.some((p) => p.decision === 'PENDING') && !a.parties.some((p) => p.decision === 'REFUSED'),
      ).length,
    version: mirror.version,
    close: () => undefined,
  };
}
