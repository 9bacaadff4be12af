// What the grant and objection services and the operator's app and key changes report once a
// decision is stored, as decision records. A key change names the app and the key id, never the key.
// An objection's entity key and values stay in the objection store: the trail names the
// objection, its field and the answer, and keeps no personal data of its own.

import type { Application } from '../grants/index.ts';
import type { KeyAction } from '../identity/index.ts';
import type { Objection } from '../objections/index.ts';
import type { Decision } from './decision-log.ts';

export interface GrantEvent {
  action: 'apply' | 'approve' | 'refuse' | 'revoke';
  /** The app that applied, or the principal who answered or revoked (`tax/wang.li`). */
  by: string;
  /** The party the principal answered for. */
  party?: string;
  application: Application;
}

export interface ObjectionEvent {
  action: 'object' | 'answer-objection';
  by: string;
  objection: Objection;
}

export function grantDecision({ action, by, party, application: a }: GrantEvent): Decision {
  const about = { who: by, action, subject: a.id, coordinates: a.coordinates };
  if (action === 'apply') {
    const detail = { purpose: a.purpose, expiresAt: a.expiresAt, rowScope: a.rowScope, ...(a.selector ? { selector: a.selector } : {}) };
    return { ...about, at: a.filedAt, decision: null, reason: a.basis, detail: JSON.stringify(detail) };
  }
  if (action === 'revoke') return { ...about, at: a.revokedAt!, decision: 'REVOKED', reason: a.revokeReason, detail: null };
  const answer = a.parties.find((p) => p.party === (party ?? by))!;
  return { ...about, at: answer.answeredAt!, decision: answer.decision, reason: answer.reason, detail: null };
}

export function objectionDecision({ action, by, objection: o }: ObjectionEvent): Decision {
  const about = { who: by, action, subject: o.id, coordinates: [o.coordinate], detail: null };
  if (action === 'object') return { ...about, at: o.filedAt, decision: null, reason: null };
  return { ...about, at: o.answeredAt!, decision: o.status, reason: o.reason };
}

export interface KeyEvent {
  action: KeyAction;
  /** The operator's principal (`operator/chen.jie`). */
  by: string;
  appId: string;
  at: string;
  /** The key issued or revoked, and those a rotation retired with the instant they are refused from. */
  detail: { keyId?: string; retired?: { keyId: string; notAfter: string }[]; notAfter?: string };
}

export function keyDecision({ action, by, appId, at, detail }: KeyEvent): Decision {
  return { at, who: by, action, subject: appId, coordinates: [], decision: null, reason: null, detail: JSON.stringify(detail) };
}
