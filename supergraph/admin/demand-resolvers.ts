// Data demands on the admin endpoint: apps file them, the operator routes or declines them, the
// routed departments commit or refuse, and a committed department (or the operator) fulfils them.
// Each demand is seen by its app, the departments it was routed to and the operator.

import { DemandError, leadTimes, type Demand, type DemandInput, type DemandService, type DemandStatus } from '../demands/index.ts';
import { acting, fail, guarded, type AdminContext } from './acting.ts';

const visible = (ctx: AdminContext, d: Demand) =>
  ctx.caller.kind === 'app' ? d.appId === ctx.caller.requester.appId : ctx.caller.party === 'operator' || d.departments.some((p) => p.party === (ctx.caller as { party: string }).party);

/** A refusal of the demand service as a coded error; the grant service's and stores' through `guarded`. */
async function demandGuarded<T>(action: () => T | Promise<T>): Promise<T> {
  return guarded(async () => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof DemandError) fail(error.code, error.message, error.extensions);
      throw error;
    }
  });
}

export function demandResolvers(demands: DemandService | undefined) {
  const service = () => demands ?? fail('OPERATION_NOT_SUPPORTED', 'This gateway keeps no data demands.');
  const shown = (d: Demand) => ({ ...d, status: service().status(d), leadTimes: leadTimes(d) });
  const named = (ctx: AdminContext, id: string) => service().named(id, (d) => visible(ctx, d)).id;
  const operator = (ctx: AdminContext) => {
    const { party, who } = acting(ctx, 'approver');
    if (party !== 'operator') fail('NOT_A_PARTY', 'Only the operator routes or declines a demand.', { deciders: ['operator'] });
    return who;
  };
  return {
    Query: {
      demands: (_: unknown, { status }: { status?: DemandStatus }, ctx: AdminContext) => service().list(status).filter((d) => visible(ctx, d)).map(shown),
      demand: async (_: unknown, { id }: { id: string }, ctx: AdminContext) => {
        try {
          return shown(service().named(id, (d) => visible(ctx, d)));
        } catch (error) {
          if (error instanceof DemandError && error.code === 'DEMAND_NOT_FOUND') return null;
          return demandGuarded(() => { throw error; });
        }
      },
    },
    Mutation: {
      fileDemand: async (_: unknown, { input }: { input: DemandInput }, ctx: AdminContext) => {
        if (ctx.caller.kind !== 'app') fail('DEMAND_INVALID', 'Demands are filed by requesting apps with their own credentials.');
        const requester = ctx.caller.requester;
        return shown(await demandGuarded(() => service().file(requester, input)));
      },
      routeDemand: async (_: unknown, args: { id: string; departments: string[] }, ctx: AdminContext) => {
        const who = operator(ctx);
        return shown(await demandGuarded(() => service().route(named(ctx, args.id), args.departments, who)));
      },
      declineDemand: async (_: unknown, args: { id: string; reason: string }, ctx: AdminContext) => {
        const who = operator(ctx);
        return shown(await demandGuarded(() => service().decline(named(ctx, args.id), args.reason, who)));
      },
      commitDemand: async (_: unknown, args: { id: string; commitDate: string; note?: string }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'approver');
        return shown(await demandGuarded(() => service().answer(named(ctx, args.id), party, { commitDate: args.commitDate, reason: args.note ?? null }, who)));
      },
      refuseDemand: async (_: unknown, args: { id: string; reason: string }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'approver');
        return shown(await demandGuarded(() => service().answer(named(ctx, args.id), party, { commitDate: null, reason: args.reason }, who)));
      },
      fulfilDemand: async (_: unknown, args: { id: string; subgraph: string; version: number; coordinates?: string[] }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'publisher', 'approver');
        const version = { subgraph: args.subgraph, version: args.version, ...(args.coordinates ? { coordinates: args.coordinates } : {}) };
        return shown(await demandGuarded(() => service().fulfil(named(ctx, args.id), party, version, who)));
      },
    },
  };
}
