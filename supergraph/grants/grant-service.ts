// The rules of joint authorization: who must answer an application, who may answer or revoke,
// when a grant is active, and which replies are overdue.

import { randomUUID } from 'node:crypto';
import { admitPurpose, type Party, type PurposeRefusal, type Requester } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { statusOf, type Application, type ApplicationStatus, type RowScope } from './application.ts';
import type { GrantStore } from './grant-store.ts';
import { matchIdPrefix } from './id-prefix.ts';
import { selectCoordinates, SelectorError } from './label-selector.ts';
import { requiredParties } from './required-parties.ts';
import { addWorkingDays, OFFICIAL_CALENDAR, type WorkingCalendar } from './working-days.ts';

export type GrantErrorCode = 'APPLICATION_INVALID' | 'APPLICATION_NOT_FOUND' | 'ID_AMBIGUOUS' | 'NOT_A_PARTY' | 'ALREADY_ANSWERED' | 'REASON_REQUIRED' | 'LIMIT_REACHED' | PurposeRefusal['code'];

export class GrantError extends Error {
  /** `extensions`: what the coded error carries beside code and hint, e.g. an ambiguous id's candidates. */
  constructor(readonly code: GrantErrorCode, message: string, readonly extensions: Record<string, unknown> = {}) {
    super(message);
  }
}

/**
 * The record `given` names, by its full id or a unique prefix of the ids of `among` (the records
 * the caller may see, so an ambiguity names no one else's); ambiguous: ID_AMBIGUOUS with the candidates.
 */
export function recordNamed<T extends { id: string }>(given: string, exact: T | undefined, among: () => Iterable<T>, what: string, notFound: GrantErrorCode): T {
  if (exact) return exact;
  // Listed only when the id is not a full one: approving by full id reads one record.
  const match = matchIdPrefix(given, among(), what);
  if (match.kind === 'found') return match.record;
  throw match.kind === 'ambiguous' ? new GrantError('ID_AMBIGUOUS', match.message, { candidates: match.candidates }) : new GrantError(notFound, match.message);
}

export interface ApplicationInput {
  coordinates?: string[];
  selector?: string;
  purpose: string;
  basis: string;
  expiresAt: string;
  rowScope?: RowScope;
}

export interface GrantServiceOptions {
  store: GrantStore;
  catalog: LabelCatalog;
  /** The platform's reply deadline, in working days. */
  replyWorkingDays: number;
  /** The operator's exceptions to the official working calendar; none by default. */
  calendar?: WorkingCalendar;
  /** Applications one app may have waiting for answers at once (filing is not free for the parties). */
  maxPendingPerApp?: number;
  now?: () => Date;
  /** A new application's id: a random UUID. */
  newId?: () => string;
  /** Told of each decision once it is stored: the audit's decision trail (awaited: the call fails when it cannot be recorded). */
  onDecision?: (decision: { action: 'apply' | 'approve' | 'refuse' | 'revoke'; by: string; party?: Party; application: Application }) => unknown;
}

export type GrantService = ReturnType<typeof createGrantService>;

/** Apps whose grants in force are remembered between requests, at most. */
const MAX_APPS_REMEMBERED = 10_000;

/** The service's options with their defaults, and the grants in force it remembers per app. */
type Grants = Required<Omit<GrantServiceOptions, 'onDecision'>> & Pick<GrantServiceOptions, 'onDecision'> & {
  // Every data request needs its app's grants in force: read once per change, not per request.
  activeByApp: Map<string, { version: number; until: number; grants: Application[] }>;
};

function resolveCoordinates(catalog: LabelCatalog, input: ApplicationInput): string[] {
  let coordinates: string[];
  try {
    coordinates = input.selector ? selectCoordinates(input.selector, catalog.fields.values()) : [...(input.coordinates ?? [])];
  } catch (error) {
    if (error instanceof SelectorError) throw new GrantError('APPLICATION_INVALID', error.message);
    throw error;
  }
  const unknown = coordinates.filter((c) => !catalog.fields.has(c));
  if (unknown.length) throw new GrantError('APPLICATION_INVALID', `Unknown schema coordinate(s): ${unknown.join(', ')}.`);
  const notShared = coordinates.filter((c) => catalog.fields.get(c)!.label.sharing === 'NOT_SHARED');
  if (notShared.length && !input.selector) throw new GrantError('APPLICATION_INVALID', `${notShared.join(', ')} is NOT_SHARED and cannot be granted.`);
  const conditional = coordinates.filter((c) => catalog.fields.get(c)!.label.sharing === 'CONDITIONAL');
  if (conditional.length === 0) throw new GrantError('APPLICATION_INVALID', 'Nothing to apply for: the fields are unconditionally shared or not shared at all.');
  return [...new Set(conditional)].sort();
}

function requireReason(reason: string | undefined | null): string {
  if (!reason?.trim()) throw new GrantError('REASON_REQUIRED', 'A refusal or revocation must state its reason.');
  return reason.trim();
}

/**
 * An active grant covers only the fields whose required parties all approved it: a recomposed
 * supergraph may have given a granted field a new owner or a new source since it was filed.
 */
function inForce(catalog: LabelCatalog, grant: Application): Application[] {
  const approved = new Set(grant.parties.filter((p) => p.decision === 'APPROVED').map((p) => p.party));
  const coordinates = grant.coordinates.filter((c) => requiredParties(catalog, [c]).every((p) => approved.has(p)));
  if (coordinates.length === grant.coordinates.length) return [grant];
  return coordinates.length > 0 ? [{ ...grant, coordinates }] : [];
}

function load(store: GrantStore, id: string): Application {
  const application = store.get(id);
  if (!application) throw new GrantError('APPLICATION_NOT_FOUND', `No application ${id}.`);
  return application;
}

async function apply(g: Grants, requester: Requester, input: ApplicationInput): Promise<Application> {
  if (!input.purpose?.trim() || !input.basis?.trim()) throw new GrantError('APPLICATION_INVALID', 'An application names a purpose and a legal basis or reason.');
  const admitted = admitPurpose(requester, input.purpose, "The application's purpose");
  if (!('purpose' in admitted)) throw new GrantError(admitted.code, admitted.message);
  const filed = g.now();
  if (!(Date.parse(input.expiresAt) > filed.getTime())) throw new GrantError('APPLICATION_INVALID', 'The requested expiry must be a future ISO date.');
  if (input.rowScope === 'OWN_DISTRICT' && !requester.district) throw new GrantError('APPLICATION_INVALID', 'Only an app of a district office can apply for its own district.');
  const pending = g.store.countPending(requester.appId, filed.toISOString());
  if (pending >= g.maxPendingPerApp) {
    throw new GrantError('LIMIT_REACHED', `${requester.appId} has ${pending} applications waiting for an answer; at most ${g.maxPendingPerApp} may wait at once.`);
  }
  const coordinates = resolveCoordinates(g.catalog, input);
  const application: Application = {
    id: g.newId(),
    appId: requester.appId,
    purpose: admitted.purpose,
    basis: input.basis.trim(),
    coordinates,
    selector: input.selector ?? null,
    rowScope: input.rowScope ?? 'ALL',
    expiresAt: new Date(input.expiresAt).toISOString(),
    filedAt: filed.toISOString(),
    replyDeadline: addWorkingDays(filed, g.replyWorkingDays, g.calendar).toISOString(),
    parties: requiredParties(g.catalog, coordinates).map((party) => ({ party, decision: 'PENDING', reason: null, answeredAt: null, answeredBy: null })),
    revokedAt: null,
    revokedBy: null,
    revokeReason: null,
  };
  await g.store.insert(application);
  await g.onDecision?.({ action: 'apply', by: requester.appId, application });
  return application;
}

/** `by` names the principal answering for the party (`tax/wang.li`); the party itself by default. */
async function answer(g: Grants, id: string, party: Party, decision: 'APPROVED' | 'REFUSED', reason?: string | null, by: string = party): Promise<Application> {
  const application = load(g.store, id);
  const given = application.parties.find((p) => p.party === party);
  if (!given) throw new GrantError('NOT_A_PARTY', `${party} is not a party to application ${id}.`);
  if (given.decision !== 'PENDING' || statusOf(application, g.now()) !== 'PENDING') {
    throw new GrantError('ALREADY_ANSWERED', `Application ${id} is ${statusOf(application, g.now())}; ${party} answered ${given.decision}.`);
  }
  // Checked again where it is stored: another replica may have answered meanwhile.
  if (!(await g.store.answer(id, party, decision, decision === 'REFUSED' ? requireReason(reason) : (reason?.trim() || null), g.now().toISOString(), by))) {
    throw new GrantError('ALREADY_ANSWERED', `Application ${id} was answered meanwhile; ${party} answered ${load(g.store, id).parties.find((p) => p.party === party)?.decision ?? 'nothing'}.`);
  }
  const answered = load(g.store, id);
  await g.onDecision?.({ action: decision === 'APPROVED' ? 'approve' : 'refuse', by, party, application: answered });
  return answered;
}

async function revoke(g: Grants, id: string, party: Party, reason: string, by: string = party): Promise<Application> {
  const application = load(g.store, id);
  if (!application.parties.some((p) => p.party === party)) throw new GrantError('NOT_A_PARTY', `${party} is not a party to application ${id}.`);
  const status = statusOf(application, g.now());
  if (status !== 'ACTIVE' && status !== 'PENDING') throw new GrantError('ALREADY_ANSWERED', `Application ${id} is ${status}.`);
  if (!(await g.store.revoke(id, by, requireReason(reason), g.now().toISOString()))) throw new GrantError('ALREADY_ANSWERED', `Application ${id} was revoked meanwhile.`);
  const revoked = load(g.store, id);
  await g.onDecision?.({ action: 'revoke', by, party, application: revoked });
  return revoked;
}

function list(g: Grants, filter: { appId?: string; status?: ApplicationStatus; party?: Party } = {}): Application[] {
  const at = g.now();
  return g.store
    .list(filter.appId ? { appId: filter.appId } : {})
    .filter((a) => (!filter.status || statusOf(a, at) === filter.status) && (!filter.party || a.parties.some((p) => p.party === filter.party)));
}

/** The grants in force for an app right now: read on every request, so revocation and expiry apply at once. */
function active(g: Grants, appId: string): Application[] {
  const at = g.now();
  const version = g.store.version();
  const known = g.activeByApp.get(appId);
  if (known && known.version === version && at.getTime() < known.until) return known.grants;
  const grants = Object.freeze(g.store.list({ appId }).filter((a) => statusOf(a, at) === 'ACTIVE').flatMap((a) => inForce(g.catalog, a))) as Application[];
  // Valid until the store changes or the first of these grants expires.
  const until = grants.reduce((first, grant) => Math.min(first, Date.parse(grant.expiresAt)), Number.POSITIVE_INFINITY);
  if (g.activeByApp.size >= MAX_APPS_REMEMBERED) g.activeByApp.clear();
  g.activeByApp.set(appId, { version, until, grants });
  return grants;
}

function overdue(g: Grants): { application: Application; waitingFor: Party[] }[] {
  const at = g.now();
  return g.store
    .list()
    .filter((a) => statusOf(a, at) === 'PENDING' && Date.parse(a.replyDeadline) < at.getTime())
    .map((application) => ({ application, waitingFor: application.parties.filter((p) => p.decision === 'PENDING').map((p) => p.party) }));
}

export function createGrantService({ calendar = OFFICIAL_CALENDAR, maxPendingPerApp = 50, now = () => new Date(), newId = randomUUID, ...options }: GrantServiceOptions) {
  const g: Grants = { ...options, calendar, maxPendingPerApp, now, newId, activeByApp: new Map() };
  const { store } = g;
  return {
    apply: (requester: Requester, input: ApplicationInput) => apply(g, requester, input),
    /** `by` names the principal answering for the party (`tax/wang.li`); the party itself by default. */
    answer: (id: string, party: Party, decision: 'APPROVED' | 'REFUSED', reason?: string | null, by?: string) => answer(g, id, party, decision, reason, by),
    revoke: (id: string, party: Party, reason: string, by?: string) => revoke(g, id, party, reason, by),
    get: (id: string) => store.get(id),
    /** The application `given` names (its id or a unique prefix of those `visible` says the caller may see). */
    named: (given: string, visible: (a: Application) => boolean = () => true): Application =>
      recordNamed(given, store.get(given), () => store.list().filter(visible), 'application', 'APPLICATION_NOT_FOUND'),
    status: (a: Application): ApplicationStatus => statusOf(a, now()),
    list: (filter?: { appId?: string; status?: ApplicationStatus; party?: Party }) => list(g, filter),
    /** The grants in force for an app right now: read on every request, so revocation and expiry apply at once. */
    active: (appId: string) => active(g, appId),
    overdue: () => overdue(g),
  };
}
