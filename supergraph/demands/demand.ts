// A data demand: a requesting app needs data no provider publishes yet. The operator routes it to
// the departments responsible (or declines it); each answers with a commitment date or a refusal;
// fulfilment links it to the subgraph version that provides the fields and files the application.

import type { Party, Requester } from '../identity/index.ts';

export type DemandStage = 'FILED' | 'DECLINED' | 'ROUTED' | 'FULFILLED';
export type DepartmentDecision = 'PENDING' | 'COMMITTED' | 'REFUSED';
/** The stage, with a routed demand's state read from its departments' answers. */
export type DemandStatus = 'FILED' | 'DECLINED' | 'ROUTED' | 'COMMITTED' | 'REFUSED' | 'FULFILLED';

export interface DepartmentAnswer {
  party: Party;
  decision: DepartmentDecision;
  /** The date the department commits to provide the data by (ISO). */
  commitDate: string | null;
  reason: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
}

export interface Demand {
  id: string;
  appId: string;
  requester: Requester;
  title: string;
  description: string;
  purpose: string;
  basis: string;
  /** The fields the app could name (`Type.field`), if any. */
  coordinates: string[];
  neededBy: string;
  filedAt: string;
  /** The operator routes or declines by then. */
  routeDeadline: string;
  stage: DemandStage;
  routedAt: string | null;
  routedBy: string | null;
  /** The routed departments answer by then. */
  answerDeadline: string | null;
  declineReason: string | null;
  departments: DepartmentAnswer[];
  fulfilledAt: string | null;
  fulfilledBy: string | null;
  subgraph: string | null;
  subgraphVersion: number | null;
  /** The grant application filed for the app at fulfilment. */
  applicationId: string | null;
}

export function demandStatus(d: Demand): DemandStatus {
  if (d.stage !== 'ROUTED') return d.stage;
  if (d.departments.some((p) => p.decision === 'COMMITTED')) return 'COMMITTED';
  return d.departments.length > 0 && d.departments.every((p) => p.decision === 'REFUSED') ? 'REFUSED' : 'ROUTED';
}

const hoursBetween = (from: string | null, to: string | null) => (from && to ? (Date.parse(to) - Date.parse(from)) / 3_600_000 : null);

/** Lead times, in hours: filed → routed → first commitment → fulfilled, and filed → fulfilled. */
export function leadTimes(d: Demand) {
  const committedAt = d.departments.filter((p) => p.decision === 'COMMITTED').map((p) => p.answeredAt!).sort()[0] ?? null;
  return {
    committedAt,
    toRouteHours: hoursBetween(d.filedAt, d.routedAt),
    toCommitHours: hoursBetween(d.routedAt, committedAt),
    toFulfilHours: hoursBetween(committedAt, d.fulfilledAt),
    totalHours: hoursBetween(d.filedAt, d.fulfilledAt),
  };
}
