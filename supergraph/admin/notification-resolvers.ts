// Notifications on the admin endpoint: each caller's inbox (its party's notices, or an app's own,
// read marks per principal), webhooks per party or app, each principal's channels, and the
// delivery log the operator reads.

import { principalName } from '../identity/index.ts';
import { appRecipient, NotificationError, type Delivery, type NotificationService, type Webhook } from '../notifications/index.ts';
import type { AdminCaller } from './admin-caller.ts';
import { acting, fail, guarded, type AdminContext } from './acting.ts';

/** Whose notices the caller reads (its party, or the app), and under which name it reads them. */
function addressee(caller: AdminCaller): { recipient: string; reader: string } {
  if (caller.kind === 'app') return { recipient: appRecipient(caller.requester.appId), reader: appRecipient(caller.requester.appId) };
  return { recipient: caller.party, reader: principalName(caller.principal) };
}

async function notificationGuarded<T>(action: () => T | Promise<T>): Promise<T> {
  return guarded(async () => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof NotificationError) fail(error.code, error.message);
      throw error;
    }
  });
}

const publicWebhook = ({ secret: _secret, ...hook }: Webhook) => hook;

/** The owner a webhook is added for: an app's own; a party maintainer's own party; any, for the operator's. */
function webhookOwner(ctx: AdminContext, owner: string | undefined): string {
  if (ctx.caller.kind === 'app') {
    const own = appRecipient(ctx.caller.requester.appId);
    if (owner && owner !== own) fail('NOT_A_PARTY', `An app adds webhooks for itself (${own}) only.`);
    return own;
  }
  const { party } = acting(ctx, 'maintainer');
  if (owner && owner !== party && party !== 'operator') fail('NOT_A_PARTY', `${party} adds webhooks for itself only.`);
  return owner ?? party;
}

export function notificationResolvers(notifications: NotificationService | undefined) {
  const service = () => notifications ?? fail('OPERATION_NOT_SUPPORTED', 'This gateway keeps no notifications.');
  const mine = (ctx: AdminContext) => (owner: string) => (ctx.caller.kind === 'party' && ctx.caller.party === 'operator') || owner === addressee(ctx.caller).recipient;
  return {
    Query: {
      inbox: (_: unknown, args: { unreadOnly?: boolean; last?: number }, ctx: AdminContext) => {
        const { recipient, reader } = addressee(ctx.caller);
        return guarded(() => service().inbox(recipient, reader, { unreadOnly: args.unreadOnly ?? false, limit: args.last ?? 50 }));
      },
      webhooks: (_: unknown, __: unknown, ctx: AdminContext) => service().webhooks().filter((w) => mine(ctx)(w.owner)).map(publicWebhook),
      notificationChannels: (_: unknown, __: unknown, ctx: AdminContext) => service().channels(addressee(ctx.caller).reader),
      deliveries: (_: unknown, args: { status?: Delivery['status']; last?: number }, ctx: AdminContext) => {
        const { party } = acting(ctx, 'auditor', 'maintainer');
        if (party !== 'operator') fail('NOT_A_PARTY', 'Only the operator reads the delivery log.');
        return guarded(() => service().deliveries({ ...(args.status ? { status: args.status } : {}), limit: args.last ?? 50 }));
      },
    },
    Mutation: {
      markNoticeRead: (_: unknown, { key }: { key: string }, ctx: AdminContext) => {
        const { recipient, reader } = addressee(ctx.caller);
        return notificationGuarded(() => service().markRead(key, [recipient], reader));
      },
      addWebhook: async (_: unknown, args: { url: string; owner?: string }, ctx: AdminContext) => {
        const owner = webhookOwner(ctx, args.owner);
        const hook = await notificationGuarded(() => service().addWebhook(owner, args.url, addressee(ctx.caller).reader));
        return { webhook: publicWebhook(hook), secret: hook.secret };
      },
      removeWebhook: async (_: unknown, { id }: { id: string }, ctx: AdminContext) => {
        if (ctx.caller.kind === 'party') acting(ctx, 'maintainer');
        return publicWebhook(await notificationGuarded(() => service().removeWebhook(id, mine(ctx))));
      },
      setNotificationChannels: (_: unknown, args: { channels: string[]; email?: string }, ctx: AdminContext) =>
        notificationGuarded(() => service().setChannels(addressee(ctx.caller).reader, args.channels, args.email ?? null)),
    },
  };
}
