// Each step of a demand as a record on the decision trail: who did what to which demand, with the
// fields it names; the demand's own text stays in the demand store.

import type { Decision } from '../audit/index.ts';
import { demandStatus } from './demand.ts';
import type { DemandEvent } from './demand-service.ts';

export function demandDecision({ action, by, party, demand: d }: DemandEvent): Decision {
  const about = { who: by, action, subject: d.id, coordinates: d.coordinates };
  switch (action) {
    case 'file-demand':
      return { ...about, at: d.filedAt, decision: null, reason: d.basis, detail: JSON.stringify({ purpose: d.purpose, neededBy: d.neededBy }) };
    case 'route-demand':
      return { ...about, at: d.routedAt!, decision: 'ROUTED', reason: null, detail: JSON.stringify({ departments: d.departments.map((p) => p.party), answerDeadline: d.answerDeadline }) };
    case 'decline-demand':
      return { ...about, at: d.routedAt!, decision: 'DECLINED', reason: d.declineReason, detail: null };
    case 'fulfil-demand':
      return { ...about, at: d.fulfilledAt!, decision: demandStatus(d), reason: null, detail: JSON.stringify({ subgraph: d.subgraph, version: d.subgraphVersion, application: d.applicationId }) };
    default: {
      const answer = d.departments.find((p) => p.party === party)!;
      return { ...about, at: answer.answeredAt!, decision: answer.decision, reason: answer.reason, detail: answer.commitDate ? JSON.stringify({ party, commitDate: answer.commitDate }) : JSON.stringify({ party }) };
    }
  }
}
