// Admin principals on the admin endpoint: a maintainer of the operator manages every party's,
// a maintainer of a provider its own party's. Every change goes on the decision trail (who,
// which principal, its roles); a token appears once, in the answer that issues it.

import type { DecisionTrail } from '../audit/index.ts';
import {
  createPrincipal, issuePrincipalToken, principalName, removePrincipal, type AppRegistry, type Principal,
} from '../identity/index.ts';
import { acting, fail, guarded, type AdminContext } from './acting.ts';

const view = ({ tokenSha256: _digest, ...principal }: Principal) => principal;

export function principalResolvers({ registry, decisions }: { registry: AppRegistry; decisions: DecisionTrail }) {
  /** The maintainer acting, once it may manage principals of `party` (any party: the operator's). */
  const maintainer = (ctx: AdminContext, party?: string) => {
    const acted = acting(ctx, 'maintainer');
    if (acted.party !== 'operator' && party !== undefined && party !== acted.party) fail('NOT_A_PARTY', `${acted.party} manages only its own principals, not ${party}'s.`);
    return acted;
  };
  const record = (action: 'create-principal' | 'issue-principal-token' | 'remove-principal', who: string, principal: Principal, at: Date) =>
    decisions.append({
      at: at.toISOString(), who, action, subject: principalName(principal), coordinates: [], decision: null, reason: null,
      detail: JSON.stringify({ kind: principal.kind, roles: principal.roles }),
    });

  return {
    Query: {
      me: (_: unknown, __: unknown, ctx: AdminContext) =>
        ctx.caller.kind === 'app'
          ? { kind: 'APP', appId: ctx.caller.requester.appId, party: null, id: null, name: ctx.caller.requester.name, roles: ctx.caller.requester.roles }
          : { kind: 'PRINCIPAL', appId: null, party: ctx.caller.principal.party, id: ctx.caller.principal.id, name: ctx.caller.principal.name, roles: ctx.caller.principal.roles },
      principals: (_: unknown, { party }: { party?: string }, ctx: AdminContext) => {
        const acted = maintainer(ctx, party ?? undefined);
        const of = party ?? (acted.party === 'operator' ? undefined : acted.party);
        return registry.principals.filter((p) => of === undefined || p.party === of).map(view);
      },
    },
    Mutation: {
      createPrincipal: async (_: unknown, { input }: { input: Record<string, unknown> & { party: string } }, ctx: AdminContext) => {
        const { who } = maintainer(ctx, input.party);
        const at = new Date();
        const issued = await guarded(() => createPrincipal(registry, { ...input, name: input.name ?? undefined }, who, at));
        await record('create-principal', who, issued.principal, at);
        return { principal: view(issued.principal), token: issued.token };
      },
      issuePrincipalToken: async (_: unknown, { party, id }: { party: string; id: string }, ctx: AdminContext) => {
        const { who } = maintainer(ctx, party);
        const at = new Date();
        const issued = await guarded(() => issuePrincipalToken(registry, party, id, who, at));
        await record('issue-principal-token', who, issued.principal, at);
        return { principal: view(issued.principal), token: issued.token };
      },
      removePrincipal: async (_: unknown, { party, id }: { party: string; id: string }, ctx: AdminContext) => {
        const { who } = maintainer(ctx, party);
        const at = new Date();
        const removed = await guarded(() => removePrincipal(registry, party, id, who, at));
        await record('remove-principal', who, removed, at);
        return view(removed);
      },
    },
  };
}
