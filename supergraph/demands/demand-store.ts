// Data demands and each routed department's answer, in the control-plane database, kept in
// memory and read again one by one after each change (this process's or another's).

import type { Kysely } from 'kysely';
import { changed, openMirror, type Database, type Tables } from '../stores/index.ts';
import type { Demand, DepartmentAnswer } from './demand.ts';

export interface DemandStore {
  insert(d: Demand): Promise<Demand>;
  get(id: string): Demand | undefined;
  /** Newest first. */
  list(): Demand[];
  /** False, changing nothing, unless the demand was still FILED. */
  route(id: string, parties: string[], by: string, at: string, answerDeadline: string): Promise<boolean>;
  decline(id: string, reason: string, by: string, at: string): Promise<boolean>;
  /** False, changing nothing, unless the department's answer was still pending. */
  answer(id: string, party: string, answer: Omit<DepartmentAnswer, 'party'>): Promise<boolean>;
  /** False, changing nothing, unless the demand was still ROUTED. */
  fulfil(id: string, f: { by: string; at: string; subgraph: string; version: number; applicationId: string | null }): Promise<boolean>;
  onChange(listener: () => void): void;
}

type Row = Tables['demand'];
type DepartmentRow = Tables['demand_department'];

const fromRow = (r: Row, departments: DepartmentRow[]): Demand => ({
  id: r.id, appId: r.app_id, requester: JSON.parse(r.requester), title: r.title, description: r.description, purpose: r.purpose, basis: r.basis,
  coordinates: JSON.parse(r.coordinates), neededBy: r.needed_by, filedAt: r.filed_at, routeDeadline: r.route_deadline, stage: r.status,
  routedAt: r.routed_at, routedBy: r.routed_by, answerDeadline: r.answer_deadline, declineReason: r.decline_reason,
  departments: departments.map((p) => ({ party: p.party, decision: p.decision, commitDate: p.commit_date, reason: p.reason, answeredAt: p.answered_at, answeredBy: p.answered_by })),
  fulfilledAt: r.fulfilled_at, fulfilledBy: r.fulfilled_by, subgraph: r.subgraph, subgraphVersion: r.subgraph_version, applicationId: r.application_id,
});

const newestFirst = (a: Demand, b: Demand) => (a.filedAt === b.filedAt ? (a.id < b.id ? -1 : 1) : a.filedAt < b.filedAt ? 1 : -1);

export async function openDemandStore(database: Database): Promise<DemandStore> {
  let byId = new Map<string, Demand>();
  const mirror = await openMirror(database, 'demands', {
    async loadAll() {
      const [rows, departments] = await database.read((db) => Promise.all([db.selectFrom('demand').selectAll().execute(), db.selectFrom('demand_department').selectAll().execute()]));
      byId = new Map(rows.map((r) => [r.id, fromRow(r, departments.filter((p) => p.demand_id === r.id).sort((a, b) => a.party.localeCompare(b.party)))]));
    },
    async reload(id) {
      const [row, departments] = await database.read((db) => Promise.all([
        db.selectFrom('demand').selectAll().where('id', '=', id).executeTakeFirst(),
        db.selectFrom('demand_department').selectAll().where('demand_id', '=', id).orderBy('party').execute(),
      ]));
      if (row) byId.set(id, fromRow(row, departments));
      else byId.delete(id);
    },
  });
  const write = async <T>(id: string, work: (trx: Kysely<Tables>) => Promise<T>) => {
    const result = await database.write({ store: 'demands', id }, work);
    await mirror.written(id);
    return result;
  };
  return {
    async insert(d) {
      await write(d.id, (trx) => trx.insertInto('demand').values({
        id: d.id, app_id: d.appId, requester: JSON.stringify(d.requester), title: d.title, description: d.description, purpose: d.purpose, basis: d.basis,
        coordinates: JSON.stringify(d.coordinates), needed_by: d.neededBy, filed_at: d.filedAt, route_deadline: d.routeDeadline, status: 'FILED',
        routed_at: null, routed_by: null, answer_deadline: null, decline_reason: null, fulfilled_at: null, fulfilled_by: null, subgraph: null, subgraph_version: null, application_id: null,
      }).execute());
      return byId.get(d.id)!;
    },
    get: (id) => byId.get(id),
    list: () => [...byId.values()].sort(newestFirst),
    // Each change is decided in its writing transaction: of two answers at once, one wins.
    route: (id, parties, by, at, answerDeadline) => write(id, async (trx) => {
      const updated = await trx.updateTable('demand').set({ status: 'ROUTED', routed_at: at, routed_by: by, answer_deadline: answerDeadline }).where('id', '=', id).where('status', '=', 'FILED').executeTakeFirst();
      if (changed(updated) !== 1) return false;
      await trx.insertInto('demand_department').values(parties.map((party) => ({ demand_id: id, party, decision: 'PENDING' as const, commit_date: null, reason: null, answered_at: null, answered_by: null }))).execute();
      return true;
    }),
    decline: (id, reason, by, at) => write(id, async (trx) =>
      changed(await trx.updateTable('demand').set({ status: 'DECLINED', decline_reason: reason, routed_at: at, routed_by: by }).where('id', '=', id).where('status', '=', 'FILED').executeTakeFirst()) === 1),
    answer: (id, party, a) => write(id, async (trx) =>
      changed(await trx.updateTable('demand_department').set({ decision: a.decision, commit_date: a.commitDate, reason: a.reason, answered_at: a.answeredAt, answered_by: a.answeredBy })
        .where('demand_id', '=', id).where('party', '=', party).where('decision', '=', 'PENDING').executeTakeFirst()) === 1),
    fulfil: (id, f) => write(id, async (trx) =>
      changed(await trx.updateTable('demand').set({ status: 'FULFILLED', fulfilled_at: f.at, fulfilled_by: f.by, subgraph: f.subgraph, subgraph_version: f.version, application_id: f.applicationId })
        .where('id', '=', id).where('status', '=', 'ROUTED').executeTakeFirst()) === 1),
    onChange: mirror.onChange,
  };
}
