// The control plane's schema, written once for both dialects with the query builder's schema
// builder: applications and answers, apps, keys and principals, the schema registry and its
// decisions, objections, registered operations and the shared label overlay. Each step creates
// only what is missing, so a PostgreSQL schema made by the earlier SQL migrations is adopted as it
// stands; the last step turns that schema's JSONB columns into the text both dialects now hold.

import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { demandsAndNotifications } from './demands-and-notifications.ts';

export type Dialect = 'sqlite' | 'postgres';

// The schema builder takes any database: a migration runs before the tables it creates exist.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const oneOf = (column: string, values: string[]) => sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);

/** Applications for access and each party's answer. */
async function applications(db: Db): Promise<void> {
  await db.schema.createTable('application').ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('app_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(256)', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('coordinates', 'text', (c) => c.notNull())
    .addColumn('selector', 'text')
    .addColumn('row_scope', 'varchar(16)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('filed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reply_deadline', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('revoked_by', 'varchar(256)')
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('application_by_app').ifNotExists().on('application').column('app_id').execute();
  await db.schema.createTable('application_party').ifNotExists()
    .addColumn('application_id', 'varchar(64)', (c) => c.notNull().references('application.id'))
    .addColumn('party', 'varchar(128)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull().check(oneOf('decision', ['PENDING', 'APPROVED', 'REFUSED'])))
    .addColumn('reason', 'text')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('answered_by', 'varchar(256)')
    .addPrimaryKeyConstraint('application_party_pkey', ['application_id', 'party'])
    .execute();
}

/** Apps, the digests of their keys and the keys' retirements; admin principals and their removals. */
async function appsAndPrincipals(db: Db): Promise<void> {
  await db.schema.createTable('app').ifNotExists()
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(256)', (c) => c.notNull())
    .execute();
  await db.schema.createTable('app_key').ifNotExists()
    .addColumn('app_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('sha256', 'char(64)', (c) => c.notNull().unique())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(256)', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_key_pkey', ['app_id', 'key_id'])
    .execute();
  await db.schema.createTable('key_retirement').ifNotExists()
    .addColumn('sha256', 'char(64)', (c) => c.primaryKey())
    .addColumn('app_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('not_after', 'varchar(32)', (c) => c.notNull())
    .addColumn('retired_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('retired_by', 'varchar(256)', (c) => c.notNull())
    .execute();
  await db.schema.createTable('principal').ifNotExists()
    .addColumn('party', 'varchar(128)', (c) => c.notNull())
    .addColumn('id', 'varchar(128)', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('saved_by', 'varchar(256)', (c) => c.notNull())
    .addPrimaryKeyConstraint('principal_pkey', ['party', 'id'])
    .execute();
  await db.schema.createTable('principal_removal').ifNotExists()
    .addColumn('party', 'varchar(128)', (c) => c.notNull())
    .addColumn('id', 'varchar(128)', (c) => c.notNull())
    .addColumn('removed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('removed_by', 'varchar(256)', (c) => c.notNull())
    .addPrimaryKeyConstraint('principal_removal_pkey', ['party', 'id'])
    .execute();
}

/** The schema registry's versions of each subgraph. */
async function subgraphVersions(db: Db): Promise<void> {
  await db.schema.createTable('subgraph_version').ifNotExists()
    .addColumn('subgraph', 'varchar(128)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('sdl', 'text', (c) => c.notNull())
    .addColumn('published_by', 'varchar(256)', (c) => c.notNull())
    .addColumn('published_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().check(oneOf('status', ['ACTIVE', 'PENDING', 'SUPERSEDED', 'REJECTED'])))
    .addPrimaryKeyConstraint('subgraph_version_pkey', ['subgraph', 'version'])
    .execute();
  // One version of a subgraph is served at a time, whichever process activated it.
  await db.schema.createIndex('subgraph_version_one_active').ifNotExists().unique().on('subgraph_version').column('subgraph')
    .where(sql.ref('status'), '=', 'ACTIVE').execute();
}

/** Objections to values, and the operations apps registered (trusted documents). */
async function objectionsAndOperations(db: Db): Promise<void> {
  await db.schema.createTable('objection').ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('coordinate', 'varchar(256)', (c) => c.notNull())
    .addColumn('entity_key', 'varchar(256)', (c) => c.notNull())
    .addColumn('observed_value', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .addColumn('app_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('filed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('deadline', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().check(oneOf('status', ['OPEN', 'CONFIRMED', 'REJECTED'])))
    .addColumn('answered_by', 'varchar(256)')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('reason', 'text')
    .addColumn('corrected_value', 'text')
    .execute();
  await db.schema.createTable('registered_operation').ifNotExists()
    .addColumn('app_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('hash', 'char(64)', (c) => c.notNull())
    .addColumn('operation_name', 'varchar(256)')
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('purpose', 'varchar(256)', (c) => c.notNull())
    .addColumn('coordinates', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('registered_operation_pkey', ['app_id', 'hash'])
    .execute();
}

/** The overlay an operator's label editor loaded last, through any process: every process serves it. */
async function labelOverlay(db: Db): Promise<void> {
  await db.schema.createTable('label_overlay').ifNotExists()
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('overlay', 'text', (c) => c.notNull())
    .addColumn('sha256', 'char(64)', (c) => c.notNull())
    .addColumn('loaded_by', 'varchar(256)', (c) => c.notNull())
    .addColumn('loaded_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

/** Each party's decision on a PENDING subgraph version: the operator's, and every owner's whose fields it would take. */
async function publicationDecision(db: Db): Promise<void> {
  await db.schema.createTable('publication_decision').ifNotExists()
    .addColumn('subgraph', 'varchar(128)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('party', 'varchar(128)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull().check(oneOf('decision', ['APPROVED', 'REFUSED'])))
    .addColumn('decided_by', 'varchar(256)', (c) => c.notNull())
    .addColumn('decided_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('publication_decision_pkey', ['subgraph', 'version', 'party'])
    .addForeignKeyConstraint('publication_decision_version_fkey', ['subgraph', 'version'], 'subgraph_version', ['subgraph', 'version'])
    .execute();
}

/** PostgreSQL schemas made by the earlier SQL migrations held JSON as JSONB: text now, as in SQLite. */
const LEGACY_JSONB: [table: string, column: string][] = [
  ['application', 'coordinates'], ['app', 'entry'], ['principal', 'entry'], ['registered_operation', 'coordinates'], ['label_overlay', 'overlay'],
];

async function jsonAsText(db: Db): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'jsonb'`.execute(db);
  for (const [table, column] of LEGACY_JSONB) {
    if (!rows.some((r) => r.table_name === table && r.column_name === column)) continue;
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} TYPE text USING ${sql.ref(column)}::text`.execute(db);
  }
}

/** SQLite only: the changes a process announces to the others on the same file (PostgreSQL uses NOTIFY). */
async function storeChange(db: Db): Promise<void> {
  await db.schema.createTable('store_change').ifNotExists()
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('store', 'varchar(32)', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('origin', 'varchar(64)', (c) => c.notNull())
    .execute();
}

async function controlPlane(db: Db): Promise<void> {
  await applications(db);
  await appsAndPrincipals(db);
  await subgraphVersions(db);
  await objectionsAndOperations(db);
}

const step = (up: (db: Db) => Promise<void>): Migration => ({ up });

/** The migrations, by name (applied in name order); a dialect's own steps only where it needs them. */
export function controlPlaneMigrations(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-control-plane': step(controlPlane),
    '0002-label-overlay': step(labelOverlay),
    '0003-publication-decision': step(publicationDecision),
    ...(dialect === 'postgres' ? { '0004-json-as-text': step(jsonAsText) } : { '0004-store-change': step(storeChange) }),
    '0005-demands-and-notifications': step(demandsAndNotifications),
  };
  return { getMigrations: async () => migrations };
}
