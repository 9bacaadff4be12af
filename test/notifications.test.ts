// Notices reach their parties once: by email through a real SMTP server and by signed webhook to a
// receiver, both started here; a receiver that is down is tried again until it answers, one that
// answers 500 forever is tried a bounded number of times, every attempt logged; a forged or
// replayed delivery fails the documented check; and two processes on one database send one reminder.

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../supergraph/config/index.ts';
import { addWorkingDays, type Application } from '../supergraph/grants/index.ts';
import type { LabelCatalog } from '../supergraph/labels/index.ts';
import {
  createNotificationService, openNotificationStore, signWebhook, SIGNATURE_HEADER, startDeliveries, startReminders, verifyWebhookSignature, type NotificationStore,
} from '../supergraph/notifications/index.ts';
import { openPostgresDatabase, openSqliteDatabase } from '../supergraph/stores/index.ts';
import { tempDataDir } from './support/platform.ts';
import { postgresForTests, POSTGRES_URL } from './support/postgres.ts';

const postgresAvailable = await postgresForTests('test/notifications.test.ts');
const schemas: string[] = [];
afterAll(async () => {
  if (schemas.length === 0) return;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

interface Received {
  body: string;
  signature: string;
}

/** A webhook receiver answering `status`; `next()` resolves with the next delivery it receives. */
function receiver(status = 200) {
  const received: Received[] = [];
  let waiting: ((r: Received) => void)[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const r = { body, signature: String(request.headers[SIGNATURE_HEADER]) };
      received.push(r);
      response.writeHead(status).end();
      for (const resolve of waiting) resolve(r);
      waiting = [];
    });
  });
  return {
    received,
    next: () => new Promise<Received>((resolve) => waiting.push(resolve)),
    listen: (port = 0) => new Promise<string>((resolve) => server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const mails: { to: string; text: string }[] = [];
let mailArrived: (() => void) | undefined;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, done) {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('end', () => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text });
      mailArrived?.();
      done();
    });
  },
});
let smtpPort = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const draft = (key: string, recipient = 'tax') => ({ key, recipient, kind: 'application-filed', subject: 'a-1', title: `Notice ${key}`, body: 'Answer by Friday.' });

/** The notification store and its worker on `at`: a SQLite file, or a PostgreSQL schema. */
async function openNotifications(at: string | { schema: string }, maxAttempts = 5) {
  const database = typeof at === 'string' ? await openSqliteDatabase({ file: at, pollMs: 20 }) : await openPostgresDatabase({ url: POSTGRES_URL, schema: at.schema });
  const store = await openNotificationStore(database);
  const deliveries = startDeliveries({
    store, maxAttempts, backoffMs: 30, maxBackoffMs: 100, pollMs: 20, timeoutMs: 2_000,
    smtp: { host: '127.0.0.1', port: smtpPort, secure: false, from: 'jointgraph@qinghe.example' },
  });
  const service = createNotificationService({ store, onPublished: deliveries.wake });
  return { database, store, service, deliveries, close: async () => { deliveries.stop(); await database.close(); } };
}

const settled = async (store: NotificationStore, key: string) => {
  for (;;) {
    const [delivery] = await store.deliveries({ noticeKey: key, limit: 1 });
    if (delivery && delivery.status !== 'PENDING') return delivery;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('notifications', () => {
  let open: Awaited<ReturnType<typeof openNotifications>>;
  beforeAll(async () => {
    open = await openNotifications(join(tempDataDir(), 'control-plane.db'), 3);
  });
  afterAll(() => open.close());

  it('email a principal who chose email, and sign a webhook so that a forged or replayed delivery fails the check', async () => {
    const hook = receiver();
    const url = await hook.listen();
    const { secret } = await open.service.addWebhook('tax', url, 'tax/wang.li');
    await open.service.setChannels('tax/wang.li', ['inbox', 'email'], 'wang.li@tax.example');
    const mailed = new Promise<void>((resolve) => (mailArrived = resolve));
    const delivered = hook.next();
    expect(await open.service.publish(draft('first'))).toBe(true);
    expect(await open.service.publish(draft('first'))).toBe(false);
    const [received] = await Promise.all([delivered, mailed]);
    expect(mails.at(-1)).toMatchObject({ to: 'wang.li@tax.example', text: expect.stringContaining('Notice first') });
    expect(JSON.parse(received.body).notice).toMatchObject({ key: 'first', recipient: 'tax', kind: 'application-filed' });

    const now = new Date();
    expect(verifyWebhookSignature(secret, received.signature, received.body, now)).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, received.signature, received.body.replace('first', 'forged'), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature('not-the-secret', received.signature, received.body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(secret, received.signature, received.body, new Date(now.getTime() + 600_000))).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(secret, signWebhook(secret, received.body, now).replace(/v1=\w+/, 'v1=zz'), received.body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect((await open.service.inbox('tax', 'tax/wang.li')).map((n) => [n.key, n.readAt])).toEqual([['first', null]]);
    await open.service.markRead('first', ['tax'], 'tax/wang.li');
    expect((await open.service.inbox('tax', 'tax/wang.li', { unreadOnly: true })).length).toBe(0);
    await expect(open.service.markRead('first', ['enterprise'], 'enterprise')).rejects.toMatchObject({ code: 'NOTIFICATION_NOT_FOUND' });
    await open.service.removeWebhook((await open.store.webhooks('tax'))[0]!.id, () => true);
    await hook.close();
  });

  it('tries a receiver that is down again, and delivers once when it is up', async () => {
    const hook = receiver();
    const url = await hook.listen();
    await hook.close();
    await open.service.addWebhook('population', url, 'population');
    expect(await open.service.publish(draft('while-down', 'population'))).toBe(true);
    await open.deliveries.drain();
    const [first] = await open.store.deliveries({ noticeKey: 'while-down', limit: 1 });
    expect(first!.status).toBe('PENDING');
    expect(first!.attempts).toBeGreaterThanOrEqual(1);
    const delivered = hook.next();
    await hook.listen(Number(new URL(url).port));
    await delivered;
    const done = await settled(open.store, 'while-down');
    expect(done.status).toBe('DELIVERED');
    expect(done.log.map((a) => a.ok)).toEqual([...Array(done.attempts - 1).fill(false), true]);
    expect(done.log[0]!.error).toBe('ECONNREFUSED');
    expect(hook.received).toHaveLength(1);
    await hook.close();
  });

  it('keeps a delivery queued across a restart: the next process delivers it', async () => {
    const file = join(tempDataDir(), 'control-plane.db');
    const hook = receiver();
    const url = await hook.listen();
    await hook.close();
    const before = await openNotifications(file);
    await before.service.addWebhook('tax', url, 'tax');
    await before.service.publish(draft('across-restart'));
    await before.deliveries.drain();
    await before.close();
    const delivered = hook.next();
    await hook.listen(Number(new URL(url).port));
    const after = await openNotifications(file);
    try {
      await delivered;
      const done = await settled(after.store, 'across-restart');
      expect(done.status).toBe('DELIVERED');
      expect(done.log[0]).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
      expect(hook.received).toHaveLength(1);
    } finally {
      await after.close();
      await hook.close();
    }
  });

  it('gives up on a receiver answering 500 after the bounded attempts, each logged', async () => {
    const hook = receiver(500);
    await open.service.addWebhook('civil-affairs', await hook.listen(), 'civil-affairs');
    await open.service.publish(draft('always-500', 'civil-affairs'));
    const failed = await settled(open.store, 'always-500');
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'answered 500' });
    expect(failed.log.map((a) => [a.attempt, a.ok, a.httpStatus])).toEqual([[1, false, 500], [2, false, 500], [3, false, 500]]);
    expect(hook.received).toHaveLength(3);
    await hook.close();
  });
});

describe.each([
  ['SQLite', true],
  ['PostgreSQL', postgresAvailable],
] as const)('reminders on %s', (dialect, available) => {
  const now = new Date('2026-12-08T02:00:00.000Z');
  const pending = (id: string, replyDeadline: string) => ({ id, appId: 'tax-inspection', coordinates: ['Person.name'], replyDeadline, parties: [{ party: 'population', decision: 'PENDING' }] }) as unknown as Application;
  const catalog = { fields: new Map() } as unknown as LabelCatalog;
  const database = () => {
    if (dialect === 'SQLite') return join(tempDataDir(), 'control-plane.db');
    const schema = `jg_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    schemas.push(schema);
    return { schema };
  };

  it.runIf(available)('are sent once by two processes on one database, each delivered once, and an overdue answer is escalated to the operator once', async () => {
    const at = database();
    const [a, b] = [await openNotifications(at), await openNotifications(at)];
    const hook = receiver();
    await a.service.addWebhook('population', await hook.listen(), 'population');
    const applications = [pending('due-tomorrow', addWorkingDays(now, 1).toISOString()), pending('late', new Date(now.getTime() - 3_600_000).toISOString())];
    const reminders = [a, b].map((side) => startReminders({
      grants: { list: () => applications }, catalog, workingDays: 1, everyMs: 60_000, now: () => now, publish: (d) => side.service.publish(d),
    }));
    try {
      const published = await Promise.all(reminders.map((r) => r.tick()));
      expect(published.reduce((sum, n) => sum + n, 0)).toBe(3);
      expect(await Promise.all(reminders.map((r) => r.tick()))).toEqual([0, 0]);
      const population = await a.service.inbox('population', 'population');
      expect(population.map((n) => n.kind).sort()).toEqual(['application-overdue', 'application-reminder']);
      expect((await b.service.inbox('operator', 'operator')).map((n) => [n.kind, n.subject])).toEqual([['application-escalated', 'late']]);
      // Both processes work the queue; each delivery leaves once.
      for (const notice of population) expect(await settled(a.store, notice.key)).toMatchObject({ status: 'DELIVERED', attempts: 1 });
      expect(hook.received.map((r) => JSON.parse(r.body).notice.kind).sort()).toEqual(['application-overdue', 'application-reminder']);
    } finally {
      for (const r of reminders) r.stop();
      await hook.close();
      await a.close();
      await b.close();
    }
  });
});

describe('the notifications settings', () => {
  it('remind one working day ahead, try a delivery 8 times from 30 s, and email nothing without an SMTP host, by default', () => {
    expect(loadSettings({}).notifications).toEqual({ reminderWorkingDays: 1, checkSeconds: 300, deliveryAttempts: 8, retrySeconds: 30 });
  });

  it('take the SMTP server and the bounds from the environment', () => {
    const env = { JG_SMTP_HOST: 'smtp.qinghe.example', JG_SMTP_PORT: '465', JG_SMTP_SECURE: 'on', JG_SMTP_USER: 'jointgraph', JG_SMTP_PASSWORD: 'secret', JG_EMAIL_FROM: 'noreply@qinghe.example', JG_REMINDER_WORKING_DAYS: '2', JG_DELIVERY_ATTEMPTS: '3' };
    expect(loadSettings(env).notifications).toMatchObject({
      reminderWorkingDays: 2, deliveryAttempts: 3,
      smtp: { host: 'smtp.qinghe.example', port: 465, secure: true, user: 'jointgraph', password: 'secret', from: 'noreply@qinghe.example' },
    });
  });
});
