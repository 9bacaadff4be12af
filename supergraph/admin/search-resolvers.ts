// What the console searches and reads beside the grant workflow: the audit trail by field, app,
// purpose, provider, request and dates (the operator's auditors all of it, an app its own records),
// the label report (the operator all fields, a provider its own), and the declared and measured
// quality of each field in the catalogue.

import { BadCursor, type AccessSearch, type AccessTrail } from '../audit/index.ts';
import { labelReport, type LabelCatalog } from '../labels/index.ts';
import { qualityReport, type FieldQuality } from '../quality/quality-report.ts';
import { isOperator, owns } from './admin-caller.ts';
import { acting, fail, party, type AdminContext } from './acting.ts';
import type { GatewayState } from './gateway-state.ts';

/** The audit search's arguments: those of the trail's search, paged by `beforeCursor` (or, on one replica's trail, `before` a seq) and `last`. */
type SearchArgs = Omit<AccessSearch, 'before' | 'limit'> & { before?: number | null; beforeCursor?: string | null; last: number };

/** Records one search returns at most. */
const MAX_RECORDS = 1_000;

export function searchResolvers({ access, catalog, gateway }: { access: AccessTrail; catalog: LabelCatalog; gateway: GatewayState }) {
  /** The quality of every annotated field, computed once per answer that asks for it. */
  const qualityOf = new WeakMap<object, Map<string, FieldQuality>>();
  return {
    Query: {
      accessRecords: async (_: unknown, { before, beforeCursor, ...args }: SearchArgs, ctx: AdminContext) => {
        let appId = args.appId ?? null;
        if (ctx.caller.kind === 'app') {
          if (appId !== null && appId !== ctx.caller.requester.appId) fail('NOT_A_PARTY', 'An app reads its own access records only.');
          appId = ctx.caller.requester.appId;
        } else {
          if (party(ctx) !== 'operator') fail('NOT_A_PARTY', 'Only the operator reads the whole audit trail; providers ask for their own fields with recipients.');
          acting(ctx, 'auditor');
        }
        for (const [name, at] of [['from', args.from], ['to', args.to]] as const) {
          if (at != null && Number.isNaN(Date.parse(at))) fail('APPLICATION_INVALID', `${name} is not an ISO 8601 instant: "${at}".`);
        }
        try {
          return await access.search({ ...args, appId, before: beforeCursor ?? (before == null ? null : String(before)), limit: Math.min(Math.max(args.last, 1), MAX_RECORDS) });
        } catch (error) {
          if (error instanceof BadCursor) fail('APPLICATION_INVALID', error.message);
          throw error;
        }
      },
      labelReport: (_: unknown, __: unknown, ctx: AdminContext) => {
        party(ctx);
        const mine = (coordinate: string) => isOperator(ctx.caller) || owns(ctx.caller, catalog.fields.get(coordinate));
        const report = labelReport(catalog);
        return {
          unlabeled: report.unlabeled.filter(mine),
          conflicts: report.conflicts.filter((c) => mine(c.coordinate)).map((c) => ({ coordinate: c.coordinate, proposal: c.proposal, overlay: c.overlay })),
          missingBasis: report.missingBasis.filter(mine),
          derivedFromNotShared: report.derivedFromNotShared.filter((d) => mine(d.coordinate)).map((d) => d.coordinate),
        };
      },
    },
    LabeledField: {
      quality: (field: { coordinate: string }, _: unknown, ctx: AdminContext) => {
        let byCoordinate = qualityOf.get(ctx);
        if (!byCoordinate) {
          const report = qualityReport(catalog, gateway.declarations, gateway.metrics, []);
          qualityOf.set(ctx, (byCoordinate = new Map(report.fields.map((f) => [f.coordinate, f]))));
        }
        return byCoordinate.get(field.coordinate) ?? null;
      },
    },
  };
}
