// One store layer: the same migrations give SQLite and PostgreSQL the same tables, columns, keys and
// indexes; a store written once behaves alike on both, across processes on one SQLite file too;
// and what the earlier, separate implementations stored is taken over.

import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openControlPlane } from '../server/control-plane.ts';
import type { Application } from '../supergraph/grants/index.ts';
import { openGrantStore } from '../supergraph/grants/index.ts';
import { openPostgresDatabase, openSqliteDatabase, type Database } from '../supergraph/stores/index.ts';
import { postgresForTests, POSTGRES_URL } from './support/postgres.ts';
import { tempDataDir } from './support/platform.ts';

const postgresAvailable = await postgresForTests('test/store-schema.test.ts');
const schemas: string[] = [];
const freshSchema = () => {
  const schema = `jg_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  schemas.push(schema);
  return schema;
};
afterAll(async () => {
  if (!postgresAvailable) return;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

/** Apart from these, the dialects hold the same tables: how each announces changes, and each migrator's bookkeeping. */
const DIALECT_OWN = new Set(['store_change', 'control_plane_schema', 'control_plane_schema_lock']);

interface Shape {
  columns: Record<string, string[]>;
  primaryKeys: Record<string, string[]>;
  uniques: string[];
}

/** `varchar(64) not null`, whichever way the dialect spells it. */
const columnType = (type: string, length: number | null) => {
  const t = type.toLowerCase();
  if (t === 'character varying') return `varchar(${length})`;
  if (t === 'character') return `char(${length})`;
  return t;
};

function sqliteShape(file: string): Shape {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).filter((t) => !DIALECT_OWN.has(t));
    const shape: Shape = { columns: {}, primaryKeys: {}, uniques: [] };
    for (const table of tables) {
      const info = db.prepare('SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)').all(table) as { name: string; type: string; not_null: number; pk: number }[];
      // A primary key column is never null, whether or not SQLite was told so.
      shape.columns[table] = info.map((c) => `${c.name} ${columnType(c.type, null)}${c.not_null || c.pk ? ' not null' : ''}`).sort();
      shape.primaryKeys[table] = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const indexes = db.prepare('SELECT name, "unique", partial FROM pragma_index_list(?)').all(table) as { name: string; unique: number; partial: number }[];
      for (const index of indexes.filter((i) => i.unique)) {
        const columns = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index.name) as string[];
        // The primary key's own index is compared as the primary key.
        if (columns.join() === shape.primaryKeys[table]!.join()) continue;
        shape.uniques.push(`${table}(${columns.join(', ')})${index.partial ? ' partial' : ''}`);
      }
    }
    shape.uniques.sort();
    return shape;
  } finally {
    db.close();
  }
}

async function postgresShape(schema: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string; character_maximum_length: number | null; is_nullable: string }>(
      'SELECT table_name, column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns WHERE table_schema = $1', [schema]);
    const keys = await client.query<{ table_name: string; column_name: string }>(
      `SELECT k.table_name, k.column_name FROM information_schema.table_constraints c
         JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
        WHERE c.table_schema = $1 AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.table_name, k.ordinal_position`, [schema]);
    const uniques = await client.query<{ table_name: string; columns: string; partial: boolean }>(
      `SELECT t.relname AS table_name, string_agg(a.attname, ', ' ORDER BY k.n) AS columns, i.indpred IS NOT NULL AS partial
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE ns.nspname = $1 AND i.indisunique AND NOT i.indisprimary GROUP BY t.relname, i.indexrelid, i.indpred`, [schema]);
    const shape: Shape = { columns: {}, primaryKeys: {}, uniques: [] };
    for (const c of columns.rows) {
      if (DIALECT_OWN.has(c.table_name)) continue;
      (shape.columns[c.table_name] ??= []).push(`${c.column_name} ${columnType(c.data_type, c.character_maximum_length)}${c.is_nullable === 'NO' ? ' not null' : ''}`);
    }
    for (const table of Object.keys(shape.columns)) shape.columns[table]!.sort();
    for (const k of keys.rows) if (!DIALECT_OWN.has(k.table_name)) (shape.primaryKeys[k.table_name] ??= []).push(k.column_name);
    shape.uniques = uniques.rows.filter((u) => !DIALECT_OWN.has(u.table_name)).map((u) => `${u.table_name}(${u.columns})${u.partial ? ' partial' : ''}`).sort();
    return shape;
  } finally {
    await client.end();
  }
}

const sorted = (shape: Shape): Shape => ({
  columns: Object.fromEntries(Object.entries(shape.columns).sort(([a], [b]) => a.localeCompare(b))),
  primaryKeys: Object.fromEntries(Object.entries(shape.primaryKeys).sort(([a], [b]) => a.localeCompare(b))),
  uniques: shape.uniques,
});

const application = (id: string, at = '2026-12-01T00:00:00.000Z'): Application => ({
  id, appId: 'tax-inspection', purpose: 'tax-inspection', basis: 'Tax Administration Law, art. 54', coordinates: ['Enterprise.annualTax'], selector: null, rowScope: 'ALL',
  expiresAt: '2099-01-01T00:00:00.000Z', filedAt: at, replyDeadline: '2026-12-08T00:00:00.000Z', revokedAt: null, revokedBy: null, revokeReason: null,
  parties: [
    { party: 'operator', decision: 'PENDING', reason: null, answeredAt: null, answeredBy: null },
    { party: 'tax', decision: 'PENDING', reason: null, answeredAt: null, answeredBy: null },
  ],
});

/** Resolves once `check` holds, polling; rejects after `ms`. */
async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('not within the time allowed');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the control-plane schema', () => {
  it.runIf(postgresAvailable)('is the same on SQLite and PostgreSQL: tables, columns with their types and nullability, primary keys and unique indexes', async () => {
    const file = join(tempDataDir(), 'control-plane.db');
    await (await openSqliteDatabase({ file })).close();
    const schema = freshSchema();
    await (await openPostgresDatabase({ url: POSTGRES_URL, schema })).close();
    const [lite, postgres] = [sorted(sqliteShape(file)), sorted(await postgresShape(schema))];
    expect(Object.keys(lite.columns)).toEqual([
      'app', 'app_key', 'application', 'application_party', 'delivery', 'delivery_attempt', 'demand', 'demand_department', 'key_retirement', 'label_overlay',
      'notice', 'notice_read', 'notification_preference', 'objection', 'principal', 'principal_removal', 'publication_decision', 'registered_operation', 'subgraph_version',
      'webhook',
    ]);
    expect(lite.uniques).toContain('delivery(notice_key, channel, target)');
    expect(lite.columns.application).toContain('coordinates text not null');
    expect(lite.columns.application).toContain('revoked_by varchar(256)');
    expect(lite.uniques).toContain('subgraph_version(subgraph) partial');
    expect(postgres).toEqual(lite);
  });

  it.runIf(postgresAvailable)('takes over a PostgreSQL schema made by the earlier SQL migrations: its JSONB becomes text, its rows stay', async () => {
    const schema = freshSchema();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const s = pg.escapeIdentifier(schema);
    await admin.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.control_plane_migrations (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL, run_on TIMESTAMP NOT NULL);
      CREATE TABLE ${s}.app (id VARCHAR(128) PRIMARY KEY, entry JSONB NOT NULL, created_at VARCHAR(32) NOT NULL, created_by VARCHAR(256) NOT NULL);
      INSERT INTO ${s}.app VALUES ('legacy-app', '{"appId": "legacy-app", "name": "Legacy"}', '2026-01-01T00:00:00.000Z', 'operator')`);
    await admin.end();
    const stores = await openControlPlane({ stateDir: tempDataDir(), postgres: { url: POSTGRES_URL, schema } }, (error) => { throw error; });
    try {
      expect(stores.apps.apps()).toEqual([{ appId: 'legacy-app', name: 'Legacy' }]);
      await stores.apps.insertApp({ appId: 'new-app', name: 'New', department: 'Tax', roles: [], district: null } as never, '2026-12-01T00:00:00.000Z', 'operator');
      expect(stores.apps.apps().map((a) => a.appId)).toEqual(['legacy-app', 'new-app']);
    } finally {
      await stores.close();
    }
    const shape = await postgresShape(schema);
    expect(shape.columns.app).toContain('entry text not null');
  });

  it('takes over the rows of the separate SQLite files the stores kept before, when control-plane.db is created', async () => {
    const dir = tempDataDir();
    const legacy = new BetterSqlite3(join(dir, 'grants.db'));
    legacy.exec(`CREATE TABLE application (id VARCHAR(64) PRIMARY KEY, app_id VARCHAR(128) NOT NULL, purpose VARCHAR(256) NOT NULL, basis TEXT NOT NULL, coordinates TEXT NOT NULL,
        selector TEXT, row_scope VARCHAR(16) NOT NULL, expires_at VARCHAR(32) NOT NULL, filed_at VARCHAR(32) NOT NULL, reply_deadline VARCHAR(32) NOT NULL,
        revoked_at VARCHAR(32), revoked_by VARCHAR(128), revoke_reason TEXT);
      CREATE TABLE application_party (application_id VARCHAR(64) NOT NULL, party VARCHAR(128) NOT NULL, decision VARCHAR(16) NOT NULL, reason TEXT, answered_at VARCHAR(32),
        PRIMARY KEY (application_id, party));
      INSERT INTO application VALUES ('a-legacy', 'tax-inspection', 'tax-inspection', 'art. 54', '["Enterprise.name"]', NULL, 'ALL', '2099-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z', '2026-01-08T00:00:00.000Z', NULL, NULL, NULL);
      INSERT INTO application_party VALUES ('a-legacy', 'operator', 'APPROVED', NULL, '2026-01-02T00:00:00.000Z');`);
    legacy.close();
    const stores = await openControlPlane({ stateDir: dir }, (error) => { throw error; });
    try {
      const taken = stores.grants.get('a-legacy')!;
      expect(taken.coordinates).toEqual(['Enterprise.name']);
      // Answers stored before principals were recorded name their party only.
      expect(taken.parties).toEqual([{ party: 'operator', decision: 'APPROVED', reason: null, answeredAt: '2026-01-02T00:00:00.000Z', answeredBy: 'operator' }]);
    } finally {
      await stores.close();
    }
  });
});

describe.each([
  ['SQLite', true],
  ['PostgreSQL', postgresAvailable],
] as const)('one grant store, two processes on one %s database', (dialect, available) => {
  const open = (): Promise<Database> => {
    if (dialect === 'PostgreSQL') return openPostgresDatabase({ url: POSTGRES_URL, schema: shared });
    return openSqliteDatabase({ file: join(sqliteDir, 'control-plane.db'), pollMs: 20 });
  };
  const shared = freshSchema();
  const sqliteDir = tempDataDir();

  it.runIf(available)('sees the other’s writes, and of two answers given at once takes one', async () => {
    const [a, b] = [await open(), await open()];
    try {
      const [grantsA, grantsB] = [await openGrantStore(a), await openGrantStore(b)];
      await grantsA.insert(application('app-1'));
      await eventually(() => grantsB.get('app-1') !== undefined);
      expect(grantsB.get('app-1')).toEqual(grantsA.get('app-1'));
      const before = grantsB.version();
      const answers = await Promise.all([
        grantsA.answer('app-1', 'tax', 'APPROVED', null, '2026-12-02T00:00:00.000Z', 'tax/wang.li'),
        grantsB.answer('app-1', 'tax', 'REFUSED', 'no basis', '2026-12-02T00:00:01.000Z', 'tax/li.na'),
      ]);
      expect(answers.filter(Boolean)).toHaveLength(1);
      await eventually(() => JSON.stringify(grantsA.get('app-1')) === JSON.stringify(grantsB.get('app-1')));
      expect(grantsB.version()).toBeGreaterThan(before);
      const tax = grantsA.get('app-1')!.parties.find((p) => p.party === 'tax')!;
      expect(tax.decision).toBe(answers[0] ? 'APPROVED' : 'REFUSED');
      // Revoked once: the second revocation changes nothing.
      expect(await grantsB.revoke('app-1', 'operator/zhao.min', 'case closed', '2026-12-03T00:00:00.000Z')).toBe(true);
      expect(await grantsA.revoke('app-1', 'operator/zhao.min', 'again', '2026-12-03T00:00:01.000Z')).toBe(false);
      await eventually(() => grantsA.get('app-1')!.revokeReason === 'case closed');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
