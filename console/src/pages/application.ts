// Applications as the admin endpoint gives them, and the order a party's inbox shows them in:
// those waiting for its answer, overdue first, then by reply deadline.

export interface PartyAnswer {
  party: string;
  decision: string;
  reason: string | null;
  answeredBy: string | null;
}

export interface Application {
  id: string;
  appId: string;
  purpose: string;
  basis: string;
  coordinates: string[];
  selector: string | null;
  rowScope: string;
  expiresAt: string;
  filedAt: string;
  replyDeadline: string;
  status: string;
  parties: PartyAnswer[];
  revokeReason: string | null;
}

export const APPLICATION_FIELDS = 'id appId purpose basis coordinates selector rowScope expiresAt filedAt replyDeadline status revokeReason parties { party decision reason answeredBy }';

/** The applications waiting for `party`'s answer, overdue first, then the nearest deadline first. */
export function awaitingAnswer(applications: readonly Application[], overdue: ReadonlySet<string>, party: string): Application[] {
  return applications
    .filter((a) => a.status === 'PENDING' && a.parties.some((p) => p.party === party && p.decision === 'PENDING'))
    .sort((a, b) => Number(overdue.has(b.id)) - Number(overdue.has(a.id)) || a.replyDeadline.localeCompare(b.replyDeadline));
}
