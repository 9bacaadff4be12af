// Notifications as the admin endpoint and the other services use them: publish a notice (once,
// whichever replica), read and mark an inbox, register webhooks, choose channels, read the
// delivery log. Checks return coded refusals; the resolvers decide who may call what.

import { randomBytes, randomUUID } from 'node:crypto';
import type { ErrorCode } from '../errors/index.ts';
import type { NoticeDraft } from './event-notices.ts';
import type { Channel, Delivery, NotificationStore, Webhook } from './notification-store.ts';

export class NotificationError extends Error {
  constructor(readonly code: Extract<ErrorCode, 'NOTIFICATION_INVALID' | 'NOTIFICATION_NOT_FOUND'>, message: string) {
    super(message);
  }
}

const CHANNELS: readonly Channel[] = ['inbox', 'email', 'webhook'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Webhooks one party or app registers at most. */
const MAX_WEBHOOKS = 10;

export interface NotificationServiceOptions {
  store: NotificationStore;
  now?: () => Date;
  /** Told when a notice was stored here (not by another replica): the delivery worker's wake-up. */
  onPublished?: () => void;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

export function createNotificationService({ store, now = () => new Date(), onPublished }: NotificationServiceOptions) {
  const invalid = (message: string): never => {
    throw new NotificationError('NOTIFICATION_INVALID', message);
  };
  return {
    /** True when this call stored the notice; false when it existed (another replica, or an earlier tick, told it). */
    async publish(draft: NoticeDraft): Promise<boolean> {
      const stored = await store.publish({ ...draft, createdAt: now().toISOString() });
      if (stored) onPublished?.();
      return stored;
    },
    inbox: (recipient: string, reader: string, options: { unreadOnly?: boolean; limit?: number } = {}) =>
      store.inbox(recipient, reader, Math.min(Math.max(options.limit ?? 50, 1), 500), options.unreadOnly ?? false),
    async markRead(key: string, recipients: string[], reader: string) {
      const notice = await store.notice(key);
      if (!notice || !recipients.includes(notice.recipient)) throw new NotificationError('NOTIFICATION_NOT_FOUND', `No notice ${key} in your inbox.`);
      await store.markRead(key, reader, now().toISOString());
      return { ...notice, readAt: now().toISOString() };
    },
    /** Registers a webhook for `owner`; its secret is in this answer only. */
    async addWebhook(owner: string, url: string, by: string): Promise<Webhook> {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) invalid('A webhook URL is an http(s) URL.');
      if (store.webhooks(owner).length >= MAX_WEBHOOKS) invalid(`${owner} has ${MAX_WEBHOOKS} webhooks; remove one first.`);
      return store.addWebhook({ id: randomUUID(), owner, url, secret: randomBytes(32).toString('hex'), createdAt: now().toISOString(), createdBy: by });
    },
    async removeWebhook(id: string, owners: (owner: string) => boolean): Promise<Webhook> {
      const hook = store.webhook(id);
      if (!hook || !owners(hook.owner)) throw new NotificationError('NOTIFICATION_NOT_FOUND', `No webhook ${id} of yours.`);
      await store.removeWebhook(id);
      return hook;
    },
    webhooks: (owner?: string) => store.webhooks(owner),
    async setChannels(principal: string, channels: string[], email: string | null) {
      const chosen = [...new Set(channels)];
      const unknown = chosen.filter((c) => !CHANNELS.includes(c as Channel));
      if (unknown.length) invalid(`Channels are ${CHANNELS.join(', ')}; not ${unknown.join(', ')}.`);
      if (chosen.includes('email') && !(email && EMAIL.test(email))) invalid('Choosing email needs an email address.');
      return store.setPreference({ principal, channels: chosen as Channel[], email: email ?? null, savedAt: now().toISOString() });
    },
    channels: (principal: string) => store.preference(principal) ?? { principal, channels: ['inbox'] as Channel[], email: null, savedAt: null },
    deliveries: (filter: { status?: Delivery['status']; noticeKey?: string; limit?: number } = {}) =>
      store.deliveries({ ...filter, limit: Math.min(Math.max(filter.limit ?? 50, 1), 500) }),
  };
}
