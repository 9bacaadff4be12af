// The tables of data demands and of notifications, for both dialects: demands and each routed
// department's answer; notices (each once, by its key), who read them, webhooks, the channels each
// principal chose, and the delivery queue with every attempt.

import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const oneOf = (column: string, values: string[]) => sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);

async function demands(db: Db): Promise<void> {
  await db.schema.createTable('demand').ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('app_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('title', 'varchar(256)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('purpose', 'varchar(256)', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('coordinates', 'text', (c) => c.notNull())
    .addColumn('needed_by', 'varchar(32)', (c) => c.notNull())
    .addColumn('filed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('route_deadline', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().check(oneOf('status', ['FILED', 'DECLINED', 'ROUTED', 'FULFILLED'])))
    .addColumn('routed_at', 'varchar(32)')
    .addColumn('routed_by', 'varchar(256)')
    .addColumn('answer_deadline', 'varchar(32)')
    .addColumn('decline_reason', 'text')
    .addColumn('fulfilled_at', 'varchar(32)')
    .addColumn('fulfilled_by', 'varchar(256)')
    .addColumn('subgraph', 'varchar(128)')
    .addColumn('subgraph_version', 'integer')
    .addColumn('application_id', 'varchar(64)')
    .execute();
  await db.schema.createTable('demand_department').ifNotExists()
    .addColumn('demand_id', 'varchar(64)', (c) => c.notNull().references('demand.id'))
    .addColumn('party', 'varchar(128)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull().check(oneOf('decision', ['PENDING', 'COMMITTED', 'REFUSED'])))
    .addColumn('commit_date', 'varchar(32)')
    .addColumn('reason', 'text')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('answered_by', 'varchar(256)')
    .addPrimaryKeyConstraint('demand_department_pkey', ['demand_id', 'party'])
    .execute();
}

async function notices(db: Db): Promise<void> {
  await db.schema.createTable('notice').ifNotExists()
    .addColumn('key', 'varchar(512)', (c) => c.primaryKey())
    .addColumn('recipient', 'varchar(256)', (c) => c.notNull())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('subject', 'varchar(256)', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_by_recipient').ifNotExists().on('notice').columns(['recipient', 'created_at']).execute();
  await db.schema.createTable('notice_read').ifNotExists()
    .addColumn('notice_key', 'varchar(512)', (c) => c.notNull().references('notice.key'))
    .addColumn('reader', 'varchar(256)', (c) => c.notNull())
    .addColumn('read_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_read_pkey', ['notice_key', 'reader'])
    .execute();
  await db.schema.createTable('webhook').ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('owner', 'varchar(256)', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(256)', (c) => c.notNull())
    .execute();
  await db.schema.createTable('notification_preference').ifNotExists()
    .addColumn('principal', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('saved_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

async function deliveries(db: Db): Promise<void> {
  await db.schema.createTable('delivery').ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('notice_key', 'varchar(512)', (c) => c.notNull().references('notice.key'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull().check(oneOf('channel', ['webhook', 'email'])))
    .addColumn('target', 'varchar(320)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().check(oneOf('status', ['PENDING', 'DELIVERED', 'FAILED'])))
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('claimed_until', 'varchar(32)')
    .addColumn('delivered_at', 'varchar(32)')
    .addColumn('last_error', 'text')
    .execute();
  // One delivery of a notice per channel and target, whichever replica queued it.
  await db.schema.createIndex('delivery_once').ifNotExists().unique().on('delivery').columns(['notice_key', 'channel', 'target']).execute();
  await db.schema.createIndex('delivery_due').ifNotExists().on('delivery').columns(['status', 'next_at']).execute();
  await db.schema.createTable('delivery_attempt').ifNotExists()
    .addColumn('delivery_id', 'varchar(64)', (c) => c.notNull().references('delivery.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ok', 'smallint', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('delivery_attempt_pkey', ['delivery_id', 'attempt'])
    .execute();
}

export async function demandsAndNotifications(db: Db): Promise<void> {
  await demands(db);
  await notices(db);
  await deliveries(db);
}
