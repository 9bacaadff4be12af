// Objections on PostgreSQL, shared by replicas: kept in memory, read again one by one after each
// change. Whether an objection is still open is decided in SQL: of two answers at once, one wins.

import { randomUUID } from 'node:crypto';
import { openMirror, type Postgres } from '../stores/index.ts';
import type { Objection, ObjectionStore } from './objection-store.ts';

const COLUMNS = `id, coordinate, entity_key AS "entityKey", observed_value AS "observedValue", comment, evidence, app_id AS "appId",
  filed_at AS "filedAt", deadline, status, answered_by AS "answeredBy", answered_at AS "answeredAt", reason, corrected_value AS "correctedValue"`;

const newestFirst = (a: Objection, b: Objection) => (a.filedAt === b.filedAt ? (a.id < b.id ? -1 : 1) : a.filedAt < b.filedAt ? 1 : -1);

export async function openPostgresObjectionStore(pg: Postgres): Promise<ObjectionStore> {
  let byId = new Map<string, Objection>();
  const mirror = await openMirror(pg, 'objections', {
    async loadAll() {
      byId = new Map((await pg.query<Objection>(`SELECT ${COLUMNS} FROM objection`)).map((o) => [o.id, o]));
    },
    async reload(id) {
      const [row] = await pg.query<Objection>(`SELECT ${COLUMNS} FROM objection WHERE id = $1`, [id]);
      if (row) byId.set(id, row);
      else byId.delete(id);
    },
  });
  return {
    async insert(o) {
      const id = randomUUID();
      await pg.write({ store: 'objections', id }, (client) =>
        client.query(
          `INSERT INTO objection (id, coordinate, entity_key, observed_value, comment, evidence, app_id, filed_at, deadline, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'OPEN')`,
          [id, o.coordinate, o.entityKey, o.observedValue, o.comment, o.evidence, o.appId, o.filedAt, o.deadline],
        ),
      );
      await mirror.written(id);
      return byId.get(id)!;
    },
    get: (id) => byId.get(id),
    list: (status) => [...byId.values()].filter((o) => !status || o.status === status).sort(newestFirst),
    async answer(id, status, by, at, reason, correctedValue) {
      const updated = await pg.write({ store: 'objections', id }, (client) =>
        client.query("UPDATE objection SET status = $1, answered_by = $2, answered_at = $3, reason = $4, corrected_value = $5 WHERE id = $6 AND status = 'OPEN'", [status, by, at, reason, correctedValue, id]),
      );
      await mirror.written(id);
      return updated.rowCount === 1;
    },
    onChange: mirror.onChange,
    close: () => undefined,
  };
}
