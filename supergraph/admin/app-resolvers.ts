// The operator's management of apps and keys on the admin endpoint: only principals of the
// operator holding `maintainer`. Every change goes on the decision trail (who, which app, which
// key id); a key appears once, in the answer that issues it, and nowhere else.

import { keyDecision, type DecisionTrail } from '../audit/index.ts';
import {
  createApp, issueKey, keysOf, revokeKey, type AppEntry, type AppRegistry, type KeyAction,
} from '../identity/index.ts';
import { acting, fail, guarded, type AdminContext } from './acting.ts';

function operatorMaintainer(ctx: AdminContext): string {
  const { party, who } = acting(ctx, 'maintainer');
  if (party !== 'operator') fail('NOT_A_PARTY', 'Only the operator manages apps and their keys.');
  return who;
}

const view = (app: AppEntry, at: Date) => {
  const { apiKeys: _digests, appId, ...rest } = app;
  return { ...rest, id: appId, limits: app.limits ?? null, keys: keysOf(app, at) };
};

export function appResolvers({ registry, decisions }: { registry: AppRegistry; decisions: DecisionTrail }) {
  const record = (action: KeyAction, by: string, appId: string, at: Date, detail: Parameters<typeof keyDecision>[0]['detail']) =>
    decisions.append(keyDecision({ action, by, appId, at: at.toISOString(), detail }));

  return {
    Query: {
      apps: (_: unknown, __: unknown, ctx: AdminContext) => {
        operatorMaintainer(ctx);
        const at = new Date();
        return [...registry.apps.values()].map((app) => view(app, at));
      },
    },
    Mutation: {
      createApp: async (_: unknown, { input }: { input: Record<string, unknown> }, ctx: AdminContext) => {
        const by = operatorMaintainer(ctx);
        const at = new Date();
        const app = await guarded(() => createApp(registry, input, by, at));
        await record('create-app', by, app.appId, at, {});
        return view(app, at);
      },
      issueKey: async (_: unknown, { appId }: { appId: string }, ctx: AdminContext) => {
        const by = operatorMaintainer(ctx);
        const at = new Date();
        const issued = await guarded(() => issueKey(registry, appId, by, at));
        await record('issue-key', by, appId, at, { keyId: issued.keyId });
        return issued;
      },
      rotateKey: async (_: unknown, { appId, graceSeconds }: { appId: string; graceSeconds: number }, ctx: AdminContext) => {
        const by = operatorMaintainer(ctx);
        const at = new Date();
        const issued = await guarded(() => issueKey(registry, appId, by, at, { graceSeconds }));
        await record('rotate-key', by, appId, at, { keyId: issued.keyId, retired: issued.retired });
        return issued;
      },
      revokeKey: async (_: unknown, { appId, keyId }: { appId: string; keyId: string }, ctx: AdminContext) => {
        const by = operatorMaintainer(ctx);
        const at = new Date();
        const revoked = await guarded(() => revokeKey(registry, appId, keyId, by, at));
        await record('revoke-key', by, appId, at, { keyId, notAfter: revoked.notAfter });
        return revoked;
      },
    },
  };
}
