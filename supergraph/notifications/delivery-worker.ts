// Works the delivery queue: claims due deliveries (bounded per round), sends each by webhook
// (signed) or email (SMTP), logs the attempt, and retries a failure with exponential backoff up
// to a bounded number of attempts. A timer, unref'd; woken at once when a notice is published.

import { createRequire } from 'node:module';
import type nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Delivery, Notice, NotificationStore } from './notification-store.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature.ts';

// Required when SMTP is configured: every other gateway start (the federation audit starts 92) skips it.
const mailer = (): typeof nodemailer => createRequire(import.meta.url)('nodemailer') as typeof nodemailer;

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface DeliveryOptions {
  store: NotificationStore;
  smtp?: SmtpSettings;
  /** Attempts per delivery at most, the first included. */
  maxAttempts: number;
  /** The wait before the second attempt; doubled for each next one, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs?: number;
  /** How often the queue is looked at when nothing wakes the worker. */
  pollMs: number;
  /** Deliveries claimed per round at most. */
  batch?: number;
  timeoutMs?: number;
  now?: () => Date;
  onError?: (error: Error) => void;
}

type Outcome = { ok: boolean; httpStatus: number | null; error: string | null };

export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

async function sendWebhook(store: NotificationStore, delivery: Delivery, notice: Notice, now: Date, timeoutMs: number): Promise<Outcome> {
  const hook = store.webhook(delivery.target);
  if (!hook) return { ok: false, httpStatus: null, error: 'the webhook was removed' };
  const body = JSON.stringify({ delivery: delivery.id, notice });
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(hook.secret, body, now), [DELIVERY_HEADER]: delivery.id, [EVENT_HEADER]: notice.kind },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { ok: true, httpStatus: response.status, error: null } : { ok: false, httpStatus: response.status, error: `answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, httpStatus: null, error: cause ?? (error as Error).message };
  }
}

async function sendEmail(transport: Transporter | undefined, from: string, delivery: Delivery, notice: Notice): Promise<Outcome> {
  if (!transport) return { ok: false, httpStatus: null, error: 'no SMTP server is configured (notifications.smtp)' };
  try {
    await transport.sendMail({ from, to: delivery.target, subject: notice.title, text: `${notice.body}\n\n(${notice.kind}, ${notice.subject})` });
    return { ok: true, httpStatus: null, error: null };
  } catch (error) {
    return { ok: false, httpStatus: null, error: (error as Error).message };
  }
}

export function startDeliveries(options: DeliveryOptions): { wake(): void; drain(): Promise<void>; stop(): void } {
  const { store, maxAttempts, backoffMs, pollMs, batch = 20, timeoutMs = 10_000, now = () => new Date() } = options;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const transport = options.smtp
    ? mailer().createTransport({ host: options.smtp.host, port: options.smtp.port, secure: options.smtp.secure, ...(options.smtp.user ? { auth: { user: options.smtp.user, pass: options.smtp.password ?? '' } } : {}) })
    : undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function deliver(delivery: Delivery & { notice: Notice }) {
    const at = now();
    const outcome = delivery.channel === 'webhook'
      ? await sendWebhook(store, delivery, delivery.notice, at, timeoutMs)
      : await sendEmail(transport, options.smtp?.from ?? '', delivery, delivery.notice);
    const attempt = delivery.attempts + 1;
    const retryAt = !outcome.ok && attempt < maxAttempts ? new Date(now().getTime() + backoffDelay(attempt, backoffMs, maxBackoffMs)).toISOString() : null;
    await store.recordAttempt(delivery, { at: now().toISOString(), ...outcome }, retryAt);
  }

  async function round(): Promise<void> {
    do {
      again = false;
      const due = await store.claimDue(now(), batch, timeoutMs * 3);
      await Promise.all(due.map((d) => deliver(d)));
      if (due.length === batch) again = true;
    } while (again && !stopped);
  }

  const run = () => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = round().catch((error: Error) => options.onError?.(error)).finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void run(), pollMs);
  timer.unref();
  return {
    wake: () => void run(),
    /** One round now (tests and shutdown): resolves once the due deliveries were tried. */
    drain: async () => {
      if (running) await running;
      await run();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      transport?.close();
    },
  };
}
