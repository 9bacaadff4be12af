// Data objections (verification and correction): a requester reports a value it believes wrong;
// the owning provider confirms and corrects it, or rejects the objection with a reason, before
// a deadline. Kept in memory, read again one by one after each change, in the control-plane database.

import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { changed, openMirror, type Database, type Tables } from '../stores/index.ts';

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
  /** Told when objections changed, through this process or another. */
  onChange(listener: () => void): void;
}

type Row = Tables['objection'];

const fromRow = (r: Row): Objection => ({
  id: r.id, coordinate: r.coordinate, entityKey: r.entity_key, observedValue: r.observed_value, comment: r.comment, evidence: r.evidence, appId: r.app_id,
  filedAt: r.filed_at, deadline: r.deadline, status: r.status, answeredBy: r.answered_by, answeredAt: r.answered_at, reason: r.reason, correctedValue: r.corrected_value,
});

const newestFirst = (a: Objection, b: Objection) => (a.filedAt === b.filedAt ? (a.id < b.id ? -1 : 1) : a.filedAt < b.filedAt ? 1 : -1);

export async function openObjectionStore(database: Database): Promise<ObjectionStore> {
  let byId = new Map<string, Objection>();
  const mirror = await openMirror(database, 'objections', {
    async loadAll() {
      byId = new Map((await database.read((db) => db.selectFrom('objection').selectAll().execute())).map((r) => [r.id, fromRow(r)]));
    },
    async reload(id) {
      const row = await database.read((db) => db.selectFrom('objection').selectAll().where('id', '=', id).executeTakeFirst());
      if (row) byId.set(id, fromRow(row));
      else byId.delete(id);
    },
  });
  const write = async <T>(id: string, work: (trx: Kysely<Tables>) => Promise<T>) => {
    const result = await database.write({ store: 'objections', id }, work);
    await mirror.written(id);
    return result;
  };
  return {
    async insert(o) {
      const id = randomUUID();
      await write(id, (trx) =>
        trx.insertInto('objection').values({
          id, coordinate: o.coordinate, entity_key: o.entityKey, observed_value: o.observedValue, comment: o.comment, evidence: o.evidence, app_id: o.appId,
          filed_at: o.filedAt, deadline: o.deadline, status: 'OPEN', answered_by: null, answered_at: null, reason: null, corrected_value: null,
        }).execute());
      return byId.get(id)!;
    },
    get: (id) => byId.get(id),
    list: (status) => [...byId.values()].filter((o) => !status || o.status === status).sort(newestFirst),
    // Whether the objection is still open is decided in the writing transaction: of two answers at once, one wins.
    answer: (id, status, by, at, reason, correctedValue) =>
      write(id, async (trx) => {
        const updated = await trx.updateTable('objection').set({ status, answered_by: by, answered_at: at, reason, corrected_value: correctedValue })
          .where('id', '=', id).where('status', '=', 'OPEN').executeTakeFirst();
        return changed(updated) === 1;
      }),
    onChange: mirror.onChange,
  };
}
