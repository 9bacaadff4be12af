// What the grant and objection services report once a decision is stored, as decision records.
// An objection's entity key and values stay in the objection store: the trail names the
// objection, its field and the answer, and keeps no personal data of its own.

import type { Application } from '../grants/index.ts';
import type { Objection } from '../objections/index.ts';
import type { Decision } from './decision-log.ts';

export interface GrantEvent {
  action: 'apply' | 'approve' | 'refuse' | 'revoke';
  by: string;
  application: Application;
}

export interface ObjectionEvent {
  action: 'object' | 'answer-objection';
  by: string;
  objection: Objection;
}

export function grantDecision({ action, by, application: a }: GrantEvent): Decision {
  const about = { who: by, action, subject: a.id, coordinates: a.coordinates };
  if (action === 'apply') {
    const detail = { purpose: a.purpose, expiresAt: a.expiresAt, rowScope: a.rowScope, ...(a.selector ? { selector: a.selector } : {}) };
    return { ...about, at: a.filedAt, decision: null, reason: a.basis, detail: JSON.stringify(detail) };
  }
  if (action === 'revoke') return { ...about, at: a.revokedAt!, decision: 'REVOKED', reason: a.revokeReason, detail: null };
  const answer = a.parties.find((p) => p.party === by)!;
  return { ...about, at: answer.answeredAt!, decision: answer.decision, reason: answer.reason, detail: null };
}

export function objectionDecision({ action, by, objection: o }: ObjectionEvent): Decision {
  const about = { who: by, action, subject: o.id, coordinates: [o.coordinate], detail: null };
  if (action === 'object') return { ...about, at: o.filedAt, decision: null, reason: null };
  return { ...about, at: o.answeredAt!, decision: o.status, reason: o.reason };
}
