// Where applications live: the control-plane database (SQLite embedded, PostgreSQL for replicas).
// Every application is kept in memory, so reads are synchronous (a data request waits on no store,
// and the grant service's memo moves with `version()`); writes resolve once stored. Whether a
// party may still answer is decided in the writing transaction: of two answers at once, one wins.

import type { Kysely } from 'kysely';
import type { Party } from '../identity/index.ts';
import { changed, openMirror, type Database, type Tables } from '../stores/index.ts';
import type { Application, Decision } from './application.ts';

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
  /** Changes whenever any application changes, through this process or another. */
  version(): number;
}

type Row = Tables['application'];
type PartyRow = Tables['application_party'];

function hydrate(row: Row, parties: PartyRow[]): Application {
  return {
    id: row.id, appId: row.app_id, purpose: row.purpose, basis: row.basis, coordinates: JSON.parse(row.coordinates) as string[], selector: row.selector,
    rowScope: row.row_scope as Application['rowScope'], expiresAt: row.expires_at, filedAt: row.filed_at, replyDeadline: row.reply_deadline,
    // Answers stored before principals were recorded name their party only.
    parties: parties.map((p) => ({ party: p.party, decision: p.decision, reason: p.reason, answeredAt: p.answered_at, answeredBy: p.answered_by ?? (p.answered_at ? p.party : null) })),
    revokedAt: row.revoked_at, revokedBy: row.revoked_by, revokeReason: row.revoke_reason,
  };
}

const newestFirst = (a: Application, b: Application) => (a.filedAt === b.filedAt ? (a.id < b.id ? 1 : -1) : a.filedAt < b.filedAt ? 1 : -1);

/** The operator answers first, then the providers by name. */
const partiesInOrder = (db: Kysely<Tables>) =>
  db.selectFrom('application_party').selectAll().orderBy('application_id').orderBy((eb) => eb.case().when('party', '=', 'operator').then(0).else(1).end()).orderBy('party');

async function readApplications(db: Kysely<Tables>, id?: string): Promise<Application[]> {
  const [rows, parties] = await Promise.all([
    db.selectFrom('application').selectAll().$if(id !== undefined, (q) => q.where('id', '=', id!)).execute(),
    partiesInOrder(db).$if(id !== undefined, (q) => q.where('application_id', '=', id!)).execute(),
  ]);
  const partiesOf = new Map<string, PartyRow[]>();
  for (const p of parties) partiesOf.set(p.application_id, [...(partiesOf.get(p.application_id) ?? []), p]);
  return rows.map((row) => hydrate(row, partiesOf.get(row.id) ?? []));
}

export async function openGrantStore(database: Database): Promise<GrantStore> {
  let byId = new Map<string, Application>();
  const mirror = await openMirror(database, 'grants', {
    async loadAll() {
      byId = new Map((await database.read((db) => readApplications(db))).map((a) => [a.id, a]));
    },
    async reload(id) {
      const [application] = await database.read((db) => readApplications(db, id));
      if (application) byId.set(id, application);
      else byId.delete(id);
    },
  });
  const write = async <T>(id: string, work: (trx: Kysely<Tables>) => Promise<T>): Promise<T> => {
    const result = await database.write({ store: 'grants', id }, work);
    await mirror.written(id);
    return result;
  };
  /** Whether the application can still be answered (not revoked, refused or expired); locked for the transaction on PostgreSQL. */
  const stillOpen = async (trx: Kysely<Tables>, id: string, at: string) =>
    (await trx.selectFrom('application as a').select('a.id')
      .where('a.id', '=', id).where('a.revoked_at', 'is', null).where('a.expires_at', '>', at)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('application_party as p').select('p.party').whereRef('p.application_id', '=', 'a.id').where('p.decision', '=', 'REFUSED'))))
      .$if(database.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst()) !== undefined;

  return {
    insert: (a) =>
      write(a.id, async (trx) => {
        await trx.insertInto('application').values({
          id: a.id, app_id: a.appId, purpose: a.purpose, basis: a.basis, coordinates: JSON.stringify(a.coordinates), selector: a.selector, row_scope: a.rowScope,
          expires_at: a.expiresAt, filed_at: a.filedAt, reply_deadline: a.replyDeadline, revoked_at: null, revoked_by: null, revoke_reason: null,
        }).execute();
        for (const p of a.parties) {
          await trx.insertInto('application_party').values({ application_id: a.id, party: p.party, decision: p.decision, reason: p.reason, answered_at: p.answeredAt, answered_by: p.answeredBy }).execute();
        }
      }),
    get: (id) => byId.get(id),
    list: (filter) => [...byId.values()].filter((a) => !filter?.appId || a.appId === filter.appId).sort(newestFirst),
    answer: (id, party, decision, reason, at, by) =>
      write(id, async (trx) => {
        if (!(await stillOpen(trx, id, at))) return false;
        const updated = await trx.updateTable('application_party').set({ decision, reason, answered_at: at, answered_by: by })
          .where('application_id', '=', id).where('party', '=', party).where('decision', '=', 'PENDING').executeTakeFirst();
        return changed(updated) === 1;
      }),
    revoke: (id, by, reason, at) =>
      write(id, async (trx) => {
        const updated = await trx.updateTable('application').set({ revoked_at: at, revoked_by: by, revoke_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
        return changed(updated) === 1;
      }),
    countPending: (appId, at) =>
      [...byId.values()].filter(
        (a) => a.appId === appId && !a.revokedAt && a.expiresAt > at && a.parties.some((p) => p.decision === 'PENDING') && !a.parties.some((p) => p.decision === 'REFUSED'),
      ).length,
    version: mirror.version,
  };
}
