// The rules of data demands: an app files one; the operator routes it to departments that
// provide data (or declines it with a reason) by a working-day deadline; each routed department
// commits to a date or refuses with a reason, by the next; a committed department (or the
// operator) fulfils it with a served subgraph version that provides the fields, which files the
// app's grant application, prefilled.

import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { addWorkingDays, OFFICIAL_CALENDAR, recordNamed, GrantError, type GrantService, type WorkingCalendar } from '../grants/index.ts';
import { admitPurpose, type Party, type Requester } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { RegistryStore } from '../registry/index.ts';
import { demandStatus, type Demand, type DemandStatus } from './demand.ts';
import { DemandError } from './demand-error.ts';
import type { DemandStore } from './demand-store.ts';

export interface DemandInput {
  title: string;
  description: string;
  purpose: string;
  basis: string;
  coordinates?: string[];
  /** ISO date the app needs the data by. */
  neededBy: string;
}

export type DemandAction = 'file-demand' | 'route-demand' | 'decline-demand' | 'commit-demand' | 'refuse-demand' | 'fulfil-demand';

export interface DemandEvent {
  action: DemandAction;
  by: string;
  party?: Party;
  demand: Demand;
}

export interface DemandServiceOptions {
  store: DemandStore;
  catalog: LabelCatalog;
  grants: Pick<GrantService, 'apply'>;
  /** The schema registry's versions; fulfilment checks the version named against it. */
  versions: Pick<RegistryStore, 'get'>;
  /** The operator's routing deadline and each department's, in working days. */
  workingDays: number;
  calendar?: WorkingCalendar;
  maxOpenPerApp?: number;
  /** How long the grant applied for at fulfilment lasts, in days. */
  grantDays?: number;
  now?: () => Date;
  /** Told of each step once it is stored: the decision trail, notifications (awaited). */
  onDecision?: (event: DemandEvent) => unknown;
}

const DAY_MS = 86_400_000;
const text = (value: string | undefined | null) => value?.trim() ?? '';

/** The coordinates (`Type.field`) an SDL defines or extends. */
export function sdlCoordinates(sdl: string): Set<string> {
  const out = new Set<string>();
  for (const definition of parse(sdl).definitions) {
    if (!('fields' in definition) || !definition.fields || !('name' in definition) || !definition.name) continue;
    for (const field of definition.fields) out.add(`${definition.name.value}.${field.name.value}`);
  }
  return out;
}

/** The demand as filed, checked: its purpose admitted for the app, its fields written Type.field. */
function checkInput(requester: Requester, input: DemandInput, now: Date): { purpose: string; coordinates: string[] } {
  if (!text(input.title) || !text(input.description) || !text(input.basis)) fail('DEMAND_INVALID', 'A demand says what data it needs (title, description) and on which legal basis.');
  if (text(input.title).length > 256) fail('DEMAND_INVALID', 'A demand\'s title is 256 characters at most.');
  if (!(Date.parse(input.neededBy) > now.getTime())) fail('DEMAND_INVALID', 'neededBy must be a future ISO date.');
  const admitted = admitPurpose(requester, input.purpose ?? '', "The demand's purpose");
  if (!('purpose' in admitted)) throw new DemandError(admitted.code, admitted.message);
  const coordinates = [...new Set((input.coordinates ?? []).map((c) => c.trim()).filter(Boolean))].sort();
  const malformed = coordinates.filter((c) => !/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(c));
  if (malformed.length) fail('DEMAND_INVALID', `Name fields as Type.field: ${malformed.join(', ')}.`);
  return { purpose: admitted.purpose, coordinates };
}

export type DemandService = ReturnType<typeof createDemandService>;

export function createDemandService(options: DemandServiceOptions) {
  const { store, catalog, workingDays, calendar = OFFICIAL_CALENDAR, maxOpenPerApp = 20, now = () => new Date() } = options;
  const parties = () => new Set([...catalog.fields.values()].flatMap((f) => f.owners));
  const load = (id: string) => store.get(id) ?? fail('DEMAND_NOT_FOUND', `No demand ${id}.`);
  const decided = async (action: DemandAction, by: string, id: string, party?: Party) => {
    const demand = load(id);
    await options.onDecision?.({ action, by, demand, ...(party ? { party } : {}) });
    return demand;
  };

  return {
    async file(requester: Requester, input: DemandInput): Promise<Demand> {
      const { purpose, coordinates } = checkInput(requester, input, now());
      const open = store.list().filter((d) => d.appId === requester.appId && (d.stage === 'FILED' || d.stage === 'ROUTED')).length;
      if (open >= maxOpenPerApp) fail('LIMIT_REACHED', `${requester.appId} has ${open} demands open; at most ${maxOpenPerApp} may be open at once.`);
      const filed = now();
      const demand = await store.insert({
        id: randomUUID(), appId: requester.appId, requester, title: text(input.title), description: text(input.description), purpose, basis: text(input.basis), coordinates,
        neededBy: new Date(input.neededBy).toISOString(), filedAt: filed.toISOString(), routeDeadline: addWorkingDays(filed, workingDays, calendar).toISOString(), stage: 'FILED',
        routedAt: null, routedBy: null, answerDeadline: null, declineReason: null, departments: [], fulfilledAt: null, fulfilledBy: null, subgraph: null, subgraphVersion: null, applicationId: null,
      });
      return decided('file-demand', requester.appId, demand.id);
    },

    /** The operator routes a FILED demand to the departments that answer it. */
    async route(id: string, departments: string[], by: string): Promise<Demand> {
      const demand = load(id);
      const named = [...new Set(departments.map((p) => p.trim()).filter(Boolean))].sort();
      const known = parties();
      const unknown = named.filter((p) => p === 'operator' || !known.has(p));
      if (named.length === 0 || unknown.length) fail('DEMAND_INVALID', `Route a demand to providers of the supergraph${unknown.length ? `; not one: ${unknown.join(', ')}` : ''}.`);
      if (demand.stage !== 'FILED') fail('DEMAND_NOT_OPEN', `Demand ${id} is ${demandStatus(demand)}; only a FILED demand is routed.`);
      const at = now();
      if (!(await store.route(id, named, by, at.toISOString(), addWorkingDays(at, workingDays, calendar).toISOString()))) fail('DEMAND_NOT_OPEN', `Demand ${id} was routed or declined meanwhile.`);
      return decided('route-demand', by, id);
    },

    async decline(id: string, reason: string, by: string): Promise<Demand> {
      const demand = load(id);
      if (!text(reason)) fail('REASON_REQUIRED', 'Declining a demand states its reason.');
      if (demand.stage !== 'FILED') fail('DEMAND_NOT_OPEN', `Demand ${id} is ${demandStatus(demand)}; only a FILED demand is declined.`);
      if (!(await store.decline(id, text(reason), by, now().toISOString()))) fail('DEMAND_NOT_OPEN', `Demand ${id} was routed or declined meanwhile.`);
      return decided('decline-demand', by, id);
    },

    /** A routed department commits to a date (`commitDate`) or refuses (`reason`). */
    async answer(id: string, party: Party, answer: { commitDate?: string | null; reason?: string | null }, by: string = party): Promise<Demand> {
      const demand = load(id);
      const mine = demand.departments.find((p) => p.party === party);
      if (!mine) fail('NOT_A_PARTY', `${party} is not a department demand ${id} was routed to.`, { deciders: demand.departments.map((p) => p.party) });
      if (demand.stage !== 'ROUTED' || mine.decision !== 'PENDING') fail('ALREADY_ANSWERED', `Demand ${id} is ${demandStatus(demand)}; ${party} answered ${mine.decision}.`);
      const commit = answer.commitDate ? Date.parse(answer.commitDate) : undefined;
      if (commit === undefined && !text(answer.reason)) fail('REASON_REQUIRED', 'A refusal of a demand states its reason.');
      if (commit !== undefined && !(commit > now().getTime())) fail('DEMAND_INVALID', 'commitDate must be a future ISO date.');
      const decision = commit === undefined ? 'REFUSED' : 'COMMITTED';
      const stored = await store.answer(id, party, {
        decision, commitDate: commit === undefined ? null : new Date(commit).toISOString(), reason: text(answer.reason) || null, answeredAt: now().toISOString(), answeredBy: by,
      });
      if (!stored) fail('ALREADY_ANSWERED', `Demand ${id} was answered by ${party} meanwhile.`);
      return decided(decision === 'COMMITTED' ? 'commit-demand' : 'refuse-demand', by, id, party);
    },

    fulfil: (id: string, party: Party, version: { subgraph: string; version: number; coordinates?: string[] }, by: string = party) => fulfil(options, load(id), party, version, by, decided),

    get: (id: string) => store.get(id),
    status: demandStatus,
    named: (given: string, visible: (d: Demand) => boolean = () => true): Demand => {
      try {
        return recordNamed(given, store.get(given), () => store.list().filter(visible), 'demand', 'APPLICATION_NOT_FOUND');
      } catch (error) {
        if (error instanceof GrantError && error.code === 'APPLICATION_NOT_FOUND') fail('DEMAND_NOT_FOUND', error.message);
        throw error;
      }
    },
    list: (status?: DemandStatus) => store.list().filter((d) => !status || demandStatus(d) === status),
  };
}

/** Checks the version against the demand, applies for the app, and marks the demand FULFILLED. */
async function fulfil(
  options: DemandServiceOptions, demand: Demand, party: Party, named: { subgraph: string; version: number; coordinates?: string[] }, by: string,
  decided: (action: DemandAction, by: string, id: string, party?: Party) => Promise<Demand>,
): Promise<Demand> {
  const now = options.now ?? (() => new Date());
  if (demandStatus(demand) !== 'COMMITTED') fail('DEMAND_NOT_OPEN', `Demand ${demand.id} is ${demandStatus(demand)}; a demand is fulfilled once a department committed to it.`);
  const committed = demand.departments.filter((p) => p.decision === 'COMMITTED').map((p) => p.party);
  if (!committed.includes(named.subgraph)) fail('FULFILMENT_MISMATCH', `${named.subgraph} did not commit to demand ${demand.id}; ${committed.join(', ')} did.`);
  if (party !== 'operator' && party !== named.subgraph) fail('NOT_A_PARTY', `${party} fulfils a demand with its own subgraph only, not ${named.subgraph}.`, { deciders: ['operator', ...committed] });
  const version = options.versions.get(named.subgraph, named.version);
  if (!version || version.status !== 'ACTIVE') fail('FULFILMENT_MISMATCH', `${named.subgraph}@${named.version} is ${version ? version.status : 'not published'}; fulfil with the version served now.`);
  const coordinates = [...new Set(named.coordinates?.length ? named.coordinates : demand.coordinates)].sort();
  if (coordinates.length === 0) fail('DEMAND_INVALID', 'Name the fields that meet the demand (coordinates).');
  const provided = sdlCoordinates(version.sdl);
  const missing = coordinates.filter((c) => !provided.has(c) || !options.catalog.fields.has(c));
  if (missing.length) fail('FULFILMENT_MISMATCH', `${named.subgraph}@${named.version} does not provide ${missing.join(', ')}.`, { missing });
  const conditional = coordinates.filter((c) => options.catalog.fields.get(c)!.label.sharing === 'CONDITIONAL');
  const at = now();
  // Unconditionally shared fields need no application: the demand is met once they are served.
  const application = conditional.length
    ? await options.grants.apply(demand.requester, {
        coordinates: conditional, purpose: demand.purpose, basis: `${demand.basis} (demand ${demand.id})`, expiresAt: new Date(at.getTime() + (options.grantDays ?? 365) * DAY_MS).toISOString(),
      })
    : undefined;
  if (!(await options.store.fulfil(demand.id, { by, at: at.toISOString(), subgraph: named.subgraph, version: named.version, applicationId: application?.id ?? null }))) {
    fail('DEMAND_NOT_OPEN', `Demand ${demand.id} was fulfilled meanwhile.`);
  }
  return decided('fulfil-demand', by, demand.id, party);
}

function fail(code: DemandError['code'], message: string, extensions: Record<string, unknown> = {}): never {
  throw new DemandError(code, message, extensions);
}
