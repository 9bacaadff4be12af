// An application for access, and what the parties answered. A grant is an application that
// every required party (the operator, each provider owning a requested field or a field it is
// derived from) approved.

import type { Party } from '../identity/index.ts';

export type RowScope = 'ALL' | 'OWN_DISTRICT';
export type Decision = 'PENDING' | 'APPROVED' | 'REFUSED';
export type ApplicationStatus = 'PENDING' | 'ACTIVE' | 'REFUSED' | 'REVOKED' | 'EXPIRED';

export interface PartyAnswer {
  party: Party;
  decision: Decision;
  reason: string | null;
  answeredAt: string | null;
  /** The principal who answered for the party (`tax/wang.li`). */
  answeredBy: string | null;
}

export interface Application {
  id: string;
  appId: string;
  purpose: string;
  basis: string;
  /** The coordinates applied for, resolved from the selector at filing time. */
  coordinates: string[];
  selector: string | null;
  rowScope: RowScope;
  /** ISO date-time after which the grant no longer applies. */
  expiresAt: string;
  filedAt: string;
  replyDeadline: string;
  parties: PartyAnswer[];
  revokedAt: string | null;
  /** The principal who revoked (`operator/zhao.min`). */
  revokedBy: string | null;
  revokeReason: string | null;
}

export function statusOf(a: Application, now: Date): ApplicationStatus {
  if (a.revokedAt) return 'REVOKED';
  if (a.parties.some((p) => p.decision === 'REFUSED')) return 'REFUSED';
  if (Date.parse(a.expiresAt) <= now.getTime()) return 'EXPIRED';
  return a.parties.every((p) => p.decision === 'APPROVED') ? 'ACTIVE' : 'PENDING';
}
