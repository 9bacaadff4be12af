// Notices, the webhooks and channels that carry them, and the delivery queue, in the
// control-plane database. A notice is stored once by its key (insert-if-absent decides, in the
// database, which replica's event it is) and queues its deliveries in the same transaction; the
// queue is worked from the database, so a delivery survives a restart and leaves one replica only.
// Webhooks and channel choices are few and read on every notice: kept in memory (openMirror).
// Notices and deliveries grow with time: read from the database, a page at a time.

import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { changed, openMirror, type Database, type Tables } from '../stores/index.ts';

export type Channel = 'inbox' | 'email' | 'webhook';

export interface Notice {
  key: string;
  /** `operator`, a provider's party name, or `app:<id>`. */
  recipient: string;
  kind: string;
  subject: string;
  title: string;
  body: string;
  createdAt: string;
}

export interface Webhook {
  id: string;
  owner: string;
  url: string;
  secret: string;
  createdAt: string;
  createdBy: string;
}

export interface Preference {
  principal: string;
  channels: Channel[];
  email: string | null;
  savedAt: string;
}

export interface Delivery {
  id: string;
  noticeKey: string;
  channel: 'webhook' | 'email';
  target: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  nextAt: string;
  deliveredAt: string | null;
  lastError: string | null;
}

export interface Attempt {
  deliveryId: string;
  attempt: number;
  at: string;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
}

const noticeOf = (r: Tables['notice']): Notice => ({ key: r.key, recipient: r.recipient, kind: r.kind, subject: r.subject, title: r.title, body: r.body, createdAt: r.created_at });
const deliveryOf = (r: Tables['delivery']): Delivery => ({
  id: r.id, noticeKey: r.notice_key, channel: r.channel, target: r.target, status: r.status, attempts: r.attempts, nextAt: r.next_at, deliveredAt: r.delivered_at, lastError: r.last_error,
});
const webhookOf = (r: Tables['webhook']): Webhook => ({ id: r.id, owner: r.owner, url: r.url, secret: r.secret, createdAt: r.created_at, createdBy: r.created_by });
const preferenceOf = (r: Tables['notification_preference']): Preference => ({ principal: r.principal, channels: JSON.parse(r.channels), email: r.email, savedAt: r.saved_at });

/** Whether a principal (`tax/wang.li`, `tax`, `app:x`) speaks for a recipient (`tax`, `app:x`). */
export const speaksFor = (principal: string, recipient: string) => principal === recipient || principal.startsWith(`${recipient}/`);

/** Where a notice goes: read in the writing transaction, not from the mirror, so a webhook or an address another replica saved a moment ago counts. */
async function targetsOf(trx: Kysely<Tables>, recipient: string) {
  const hooks = await trx.selectFrom('webhook').select('id').where('owner', '=', recipient).execute();
  const chosen = (await trx.selectFrom('notification_preference').selectAll().where('email', 'is not', null).execute()).map(preferenceOf)
    .filter((p) => speaksFor(p.principal, recipient) && p.channels.includes('email'));
  return [...hooks.map((w) => ['webhook', w.id] as const), ...[...new Set(chosen.map((p) => p.email!))].map((a) => ['email', a] as const)];
}

export type NotificationStore = Awaited<ReturnType<typeof openNotificationStore>>;

export async function openNotificationStore(database: Database) {
  let webhooks = new Map<string, Webhook>();
  let preferences = new Map<string, Preference>();
  const mirror = await openMirror(database, 'notifications', {
    async loadAll() {
      const [hooks, prefs] = await database.read((db) => Promise.all([db.selectFrom('webhook').selectAll().execute(), db.selectFrom('notification_preference').selectAll().execute()]));
      webhooks = new Map(hooks.map((r) => [r.id, webhookOf(r)]));
      preferences = new Map(prefs.map((r) => [r.principal, preferenceOf(r)]));
    },
    async reload(id) {
      const [kind, key] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
      if (kind === 'webhook') {
        const row = await database.read((db) => db.selectFrom('webhook').selectAll().where('id', '=', key).executeTakeFirst());
        if (row) webhooks.set(key, webhookOf(row));
        else webhooks.delete(key);
      } else if (kind === 'preference') {
        const row = await database.read((db) => db.selectFrom('notification_preference').selectAll().where('principal', '=', key).executeTakeFirst());
        if (row) preferences.set(key, preferenceOf(row));
        else preferences.delete(key);
      }
    },
  });
  const write = async <T>(id: string, work: (trx: Kysely<Tables>) => Promise<T>) => {
    const result = await database.write({ store: 'notifications', id }, work);
    await mirror.written(id);
    return result;
  };


  return {
    /**
     * Stores the notice unless one with its key exists, and queues its deliveries in the same
     * transaction: true for the one caller, of all replicas, that stored it (and must wake its worker).
     */
    publish: (notice: Notice): Promise<boolean> => write(`notice:${notice.key}`, async (trx) => {
      const inserted = await trx.insertInto('notice').values({
        key: notice.key, recipient: notice.recipient, kind: notice.kind, subject: notice.subject, title: notice.title, body: notice.body, created_at: notice.createdAt,
      }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
      if (!inserted) return false;
      const targets = await targetsOf(trx, notice.recipient);
      if (targets.length) {
        await trx.insertInto('delivery').values(targets.map(([channel, target]) => ({
          id: randomUUID(), notice_key: notice.key, channel, target, status: 'PENDING' as const, attempts: 0, next_at: notice.createdAt, claimed_until: null, delivered_at: null, last_error: null,
        }))).execute();
      }
      return true;
    }),
    /** The newest notices to a recipient first, with whether `reader` read each. */
    inbox: (recipient: string, reader: string, limit: number, unreadOnly: boolean) => database.read(async (db) => {
      const rows = await db.selectFrom('notice').leftJoin('notice_read', (j) => j.onRef('notice_read.notice_key', '=', 'notice.key').on('notice_read.reader', '=', reader))
        .selectAll('notice').select('notice_read.read_at').where('notice.recipient', '=', recipient)
        .$if(unreadOnly, (q) => q.where('notice_read.read_at', 'is', null)).orderBy('notice.created_at', 'desc').orderBy('notice.key').limit(limit).execute();
      return rows.map((r) => ({ ...noticeOf(r), readAt: r.read_at ?? null }));
    }),
    notice: (key: string) => database.read(async (db) => {
      const row = await db.selectFrom('notice').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? noticeOf(row) : undefined;
    }),
    markRead: (key: string, reader: string, at: string) => write(`read:${key}`, async (trx) => {
      await trx.insertInto('notice_read').values({ notice_key: key, reader, read_at: at }).onConflict((oc) => oc.columns(['notice_key', 'reader']).doNothing()).execute();
    }),
    webhooks: (owner?: string) => [...webhooks.values()].filter((w) => !owner || w.owner === owner).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    webhook: (id: string) => webhooks.get(id),
    addWebhook: async (hook: Webhook) => {
      await write(`webhook:${hook.id}`, (trx) => trx.insertInto('webhook').values({ id: hook.id, owner: hook.owner, url: hook.url, secret: hook.secret, created_at: hook.createdAt, created_by: hook.createdBy }).execute());
      return webhooks.get(hook.id)!;
    },
    removeWebhook: (id: string) => write(`webhook:${id}`, async (trx) => changed(await trx.deleteFrom('webhook').where('id', '=', id).executeTakeFirst()) === 1),
    preference: (principal: string) => preferences.get(principal),
    setPreference: async (p: Preference) => {
      await write(`preference:${p.principal}`, (trx) => trx.insertInto('notification_preference').values({ principal: p.principal, channels: JSON.stringify(p.channels), email: p.email, saved_at: p.savedAt })
        .onConflict((oc) => oc.column('principal').doUpdateSet({ channels: JSON.stringify(p.channels), email: p.email, saved_at: p.savedAt })).execute());
      return preferences.get(p.principal)!;
    },
    ...deliveryQueue(database),
  };
}

/** The queue: due deliveries claimed one replica at a time, each attempt logged. */
function deliveryQueue(database: Database) {
  return {
    /** Claims up to `limit` due deliveries for `leaseMs`: a delivery claimed by one replica is not tried by another until its lease ends. */
    claimDue: async (now: Date, limit: number, leaseMs: number): Promise<(Delivery & { notice: Notice })[]> => {
      const at = now.toISOString();
      const due = await database.read((db) => db.selectFrom('delivery').select('id').where('status', '=', 'PENDING').where('next_at', '<=', at)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)])).orderBy('next_at').limit(limit).execute());
      const claimed: (Delivery & { notice: Notice })[] = [];
      for (const { id } of due) {
        const row = await database.write({ store: 'notifications', id: `delivery:${id}` }, async (trx) => {
          const updated = await trx.updateTable('delivery').set({ claimed_until: new Date(now.getTime() + leaseMs).toISOString() }).where('id', '=', id).where('status', '=', 'PENDING')
            .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)])).executeTakeFirst();
          if (changed(updated) !== 1) return undefined;
          const delivery = await trx.selectFrom('delivery').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          const notice = await trx.selectFrom('notice').selectAll().where('key', '=', delivery.notice_key).executeTakeFirstOrThrow();
          return { ...deliveryOf(delivery), notice: noticeOf(notice) };
        });
        if (row) claimed.push(row);
      }
      return claimed;
    },
    /** Logs an attempt and settles the delivery: DELIVERED, PENDING again from `retryAt`, or FAILED when there is none. */
    recordAttempt: (delivery: Delivery, attempt: Omit<Attempt, 'deliveryId' | 'attempt'>, retryAt: string | null) =>
      database.write({ store: 'notifications', id: `delivery:${delivery.id}` }, async (trx) => {
        const number = delivery.attempts + 1;
        await trx.insertInto('delivery_attempt').values({ delivery_id: delivery.id, attempt: number, at: attempt.at, ok: attempt.ok ? 1 : 0, http_status: attempt.httpStatus, error: attempt.error }).execute();
        const status = attempt.ok ? 'DELIVERED' : retryAt ? 'PENDING' : 'FAILED';
        await trx.updateTable('delivery').set({
          attempts: number, status, claimed_until: null, next_at: retryAt ?? attempt.at, delivered_at: attempt.ok ? attempt.at : null, last_error: attempt.ok ? null : attempt.error,
        }).where('id', '=', delivery.id).execute();
      }),
    /** The delivery log, newest first, each with its attempts. */
    deliveries: (filter: { status?: Delivery['status']; noticeKey?: string; limit: number }) => database.read(async (db) => {
      const rows = await db.selectFrom('delivery').selectAll().$if(Boolean(filter.status), (q) => q.where('status', '=', filter.status!))
        .$if(Boolean(filter.noticeKey), (q) => q.where('notice_key', '=', filter.noticeKey!)).orderBy('next_at', 'desc').orderBy('id').limit(filter.limit).execute();
      const attempts = rows.length ? await db.selectFrom('delivery_attempt').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('attempt').execute() : [];
      return rows.map((r) => ({
        ...deliveryOf(r),
        log: attempts.filter((a) => a.delivery_id === r.id).map((a): Attempt => ({ deliveryId: a.delivery_id, attempt: a.attempt, at: a.at, ok: a.ok === 1, httpStatus: a.http_status, error: a.error })),
      }));
    }),
  };
}
