// Resolvers of the admin endpoint. Every rule lives in the grant service; this maps callers
// to what they may see, checks the role each action needs, and turns rule violations into coded
// errors. Decisions are recorded under the principal who made them.

import type { AccessTrail } from '../audit/index.ts';
import { CacheUnavailableError } from '../cache/index.ts';
import { GrantError, type Application, type ApplicationStatus, type GrantService } from '../grants/index.ts';
import { principalName, type AppRegistry, type Party } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { owns } from './admin-caller.ts';
import { acting, fail, guarded, party, type AdminContext } from './acting.ts';
import type { GatewayState } from './gateway-state.ts';
import { labelView } from './label-view.ts';
import { objectionVisible, receivedBefore } from './objection-access.ts';
import type { Objection, ObjectionInput, ObjectionService, ObjectionStatus } from '../objections/index.ts';
import { documentHash, type OperationStore } from '../operations/index.ts';
import { qualityReport } from '../quality/quality-report.ts';
import { appResolvers } from './app-resolvers.ts';
import type { DemandService } from '../demands/index.ts';
import { demandResolvers } from './demand-resolvers.ts';
import type { NotificationService } from '../notifications/index.ts';
import { notificationResolvers } from './notification-resolvers.ts';
import { principalResolvers } from './principal-resolvers.ts';
import { registryResolvers, type RegistryDeps } from './registry-resolvers.ts';
import { searchResolvers } from './search-resolvers.ts';

export interface AdminDeps extends Pick<RegistryDeps, 'schemaRegistry' | 'labelOverlayFile' | 'sharedOverlay'> {
  objections?: ObjectionService;
  operations?: OperationStore;
  grants: GrantService;
  catalog: LabelCatalog;
  /** The audit trail, access and decision records, shared by replicas or this replica's. */
  access: AccessTrail;
  gateway: GatewayState;
  registry: AppRegistry;
  demands?: DemandService;
  notifications?: NotificationService;
}

/** A lookup by id that answers null for an unknown id (a query's answer), still coded for an ambiguous prefix. */
function unknownIsNull<T>(find: () => T): T | null {
  try {
    return find();
  } catch (error) {
    if (error instanceof GrantError && error.code === 'APPLICATION_NOT_FOUND') return null;
    throw error;
  }
}

/** Operations one app keeps registered at most. */
const MAX_REGISTERED_OPERATIONS = 500;

const visible = (ctx: AdminContext, a: Application) =>
  ctx.caller.kind === 'app' ? a.appId === ctx.caller.requester.appId : ctx.caller.party === 'operator' || a.parties.some((p) => p.party === (ctx.caller as { party: Party }).party);

/** Applications: filed by apps, answered and revoked by the parties, each seen only by those it concerns. */
function grantResolvers(grants: GrantService) {
  const withStatus = (a: Application) => ({ ...a, status: grants.status(a) });
  // An id as the caller gives it (full, or a unique prefix of the applications the caller sees).
  const applicationId = (ctx: AdminContext, given: string) => grants.named(given, (a) => visible(ctx, a)).id;
  return {
    Query: {
      applications: (_: unknown, { status }: { status?: ApplicationStatus }, ctx: AdminContext) =>
        grants.list(status ? { status } : {}).filter((a) => visible(ctx, a)).map(withStatus),
      application: async (_: unknown, { id }: { id: string }, ctx: AdminContext) => {
        const a = await guarded(() => unknownIsNull(() => grants.named(id, (x) => visible(ctx, x))));
        return a && visible(ctx, a) ? withStatus(a) : null;
      },
      overdueApplications: (_: unknown, __: unknown, ctx: AdminContext) =>
        grants.overdue().filter((o) => visible(ctx, o.application)).map((o) => ({ ...o, application: withStatus(o.application) })),
    },
    Mutation: {
      apply: async (_: unknown, { input }: { input: Parameters<GrantService['apply']>[1] }, ctx: AdminContext) => {
        if (ctx.caller.kind !== 'app') fail('APPLICATION_INVALID', 'Applications are filed by requesting apps with their own credentials.');
        const requester = ctx.caller.requester;
        return withStatus(await guarded(() => grants.apply(requester, input)));
      },
      approve: async (_: unknown, { id, note }: { id: string; note?: string }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'approver');
        return withStatus(await guarded(() => grants.answer(applicationId(ctx, id), party, 'APPROVED', note, who)));
      },
      refuse: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'approver');
        return withStatus(await guarded(() => grants.answer(applicationId(ctx, id), party, 'REFUSED', reason, who)));
      },
      revoke: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: AdminContext) => {
        const { party, who } = acting(ctx, 'approver');
        return withStatus(await guarded(() => grants.revoke(applicationId(ctx, id), party, reason, who)));
      },
    },
  };
}

/** An app registers an operation it may run, checked against the served schema and its purpose, within its bound. */
async function registerOperation(operations: OperationStore | undefined, gateway: GatewayState, document: string, purpose: string, ctx: AdminContext) {
  if (ctx.caller.kind !== 'app') fail('APPLICATION_INVALID', 'Operations are registered by requesting apps with their own credentials.');
  if (!operations) fail('OPERATION_NOT_SUPPORTED', 'This gateway keeps no registered operations.');
  const requester = ctx.caller.requester;
  const hash = documentHash(document);
  if (!operations.find(requester.appId, hash) && operations.count(requester.appId) >= MAX_REGISTERED_OPERATIONS) {
    fail('LIMIT_REACHED', `App "${requester.appId}" already has ${MAX_REGISTERED_OPERATIONS} registered operations.`);
  }
  const checked = gateway.checkOperation(document, requester, purpose.trim());
  if (!checked.ok) fail(checked.code, checked.message);
  return guarded(() => operations.register({
    appId: requester.appId, hash, operationName: checked.operationName, document, purpose: purpose.trim(), coordinates: checked.coordinates, registeredAt: new Date().toISOString(),
  }));
}

type PurgeFilter = { type?: string; key?: string; coordinate?: string };

/** A maintainer purges cache entries: the operator any, a provider only those holding its own fields. */
async function purgeCache(catalog: LabelCatalog, gateway: GatewayState, filter: PurgeFilter, ctx: AdminContext) {
  const caller = acting(ctx, 'maintainer').party;
  if (!filter.type && !filter.coordinate) fail('APPLICATION_INVALID', 'Name a type (with an optional key) or a coordinate to purge.');
  if (filter.key && !filter.type) fail('APPLICATION_INVALID', 'A key purges one entity: name its type too.');
  // A provider purges the entries holding its own fields, never another provider's.
  const owned = caller === 'operator' ? undefined : new Set([...catalog.fields.values()].filter((f) => owns(ctx.caller, f)).map((f) => f.coordinate));
  const mayPurge = !owned || (filter.coordinate ? owned.has(filter.coordinate) : [...owned].some((c) => c.startsWith(`${filter.type}.`)));
  if (!mayPurge) fail('NOT_A_PARTY', `${caller} provides none of ${filter.coordinate ?? filter.type}.`);
  const { type, key, coordinate } = filter;
  try {
    return { removed: (await gateway.cache?.purge({ ...(type ? { type } : {}), ...(key ? { key } : {}), ...(coordinate ? { coordinate } : {}), ...(owned ? { owned } : {}) })) ?? 0 };
  } catch (error) {
    if (error instanceof CacheUnavailableError) fail('CACHE_UNAVAILABLE', error.message);
    throw error;
  }
}

export function adminResolvers({ grants, catalog, access, gateway, objections, operations, registry, schemaRegistry, labelOverlayFile, sharedOverlay, demands, notifications }: AdminDeps) {
  const joint = [demandResolvers(demands), notificationResolvers(notifications)];
  const apps = appResolvers({ registry, decisions: access.decisions });
  const principals = principalResolvers({ registry, decisions: access.decisions });
  const searched = searchResolvers({ access, catalog, gateway });
  const granted = grantResolvers(grants);
  const published = registryResolvers({ decisions: access.decisions, gateway, ...(schemaRegistry ? { schemaRegistry } : {}), ...(labelOverlayFile ? { labelOverlayFile } : {}), ...(sharedOverlay ? { sharedOverlay } : {}) });
  const objectionsFor = (ctx: AdminContext, list: Objection[]) => list.filter((o) => objectionVisible(ctx.caller, o, catalog));

  return {
    Query: {
      ...apps.Query,
      ...principals.Query,
      ...granted.Query,
      ...published.Query,
      ...searched.Query,
      ...Object.assign({}, ...joint.map((r) => r.Query)),
      whoami: (_: unknown, __: unknown, ctx: AdminContext) => (ctx.caller.kind === 'app' ? `app:${ctx.caller.requester.appId}` : principalName(ctx.caller.principal)),
      registeredOperations: (_: unknown, { appId }: { appId?: string }, ctx: AdminContext) => {
        if (ctx.caller.kind === 'app') return operations?.list(ctx.caller.requester.appId) ?? [];
        if (ctx.caller.party !== 'operator') fail('NOT_A_PARTY', 'Only the operator and the apps themselves read registered operations.');
        return operations?.list(appId ?? undefined) ?? [];
      },
      labels: (_: unknown, __: unknown, ctx: AdminContext) => labelView(ctx.caller, catalog),
      recipients: (_: unknown, args: { coordinate: string; from?: string; to?: string }, ctx: AdminContext) => {
        const caller = acting(ctx, 'auditor').party;
        const field = catalog.fields.get(args.coordinate);
        if (!field) fail('APPLICATION_INVALID', `Unknown schema coordinate ${args.coordinate}.`);
        if (caller !== 'operator' && !owns(ctx.caller, field)) fail('NOT_A_PARTY', `${args.coordinate} belongs to ${field.owners.join(', ')}.`);
        return access.recipients(args.coordinate, args.from, args.to);
      },
      objections: (_: unknown, { status }: { status?: ObjectionStatus }, ctx: AdminContext) => objectionsFor(ctx, objections?.list(status) ?? []),
      qualityReport: (_: unknown, __: unknown, ctx: AdminContext) => {
        party(ctx);
        return qualityReport(catalog, gateway.declarations, gateway.metrics, objectionsFor(ctx, objections?.overdue() ?? []));
      },
      verifyAuditTrail: async (_: unknown, __: unknown, ctx: AdminContext) => {
        if (party(ctx) !== 'operator') fail('NOT_A_PARTY', 'Only the operator verifies the audit trail.');
        acting(ctx, 'auditor');
        // Access and decision records (a decision record's problem is named decision-…), against the signed checkpoints.
        const { ok, records, brokenAt } = await access.verify();
        return { ok, records, brokenAtSeq: brokenAt?.seq ?? null, problem: brokenAt?.problem ?? null, replica: brokenAt?.replica ?? null };
      },
    },
    Mutation: {
      ...apps.Mutation,
      ...principals.Mutation,
      ...granted.Mutation,
      ...published.Mutation,
      ...Object.assign({}, ...joint.map((r) => r.Mutation)),
      registerOperation: (_: unknown, { document, purpose }: { document: string; purpose: string }, ctx: AdminContext) => registerOperation(operations, gateway, document, purpose, ctx),
      fileObjection: async (_: unknown, { input }: { input: ObjectionInput }, ctx: AdminContext) => {
        if (ctx.caller.kind !== 'app') fail('APPLICATION_INVALID', 'Objections are filed by requesting apps with their own credentials.');
        if (!objections) fail('APPLICATION_INVALID', 'Objections are not enabled on this gateway.');
        const requester = ctx.caller.requester;
        if (!(await receivedBefore(access, catalog, requester.appId, input))) {
          fail('NOT_A_RECIPIENT', `${requester.appId} has not received ${input.coordinate} of ${input.key}; only an app that received a record's value may object to it.`);
        }
        return guarded(() => objections.file(requester, input));
      },
      answerObjection: async (_: unknown, args: { id: string; decision: 'CONFIRMED' | 'REJECTED'; reason: string; correctedValue?: string }, ctx: AdminContext) => {
        if (!objections) fail('APPLICATION_INVALID', 'Objections are not enabled on this gateway.');
        const { party, who } = acting(ctx, 'approver');
        return guarded(() => objections.answer(objections.named(args.id, (o) => objectionVisible(ctx.caller, o, catalog)).id, party, args.decision, args.reason, args.correctedValue ?? null, who));
      },
      purgeCache: (_: unknown, filter: PurgeFilter, ctx: AdminContext) => purgeCache(catalog, gateway, filter, ctx),
    },
    LabeledField: searched.LabeledField,
  };
}

