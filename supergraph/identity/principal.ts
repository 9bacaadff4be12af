// Admin principals: the people and service accounts of the operator and of the providers who act
// on the admin endpoint. Each belongs to one party and holds roles; a decision is recorded under
// the principal who made it, not only under its party.

import type { Party } from './requester.ts';

export const PRINCIPAL_ROLES = Object.freeze(['approver', 'auditor', 'maintainer', 'label-editor', 'publisher'] as const);
export type PrincipalRole = (typeof PRINCIPAL_ROLES)[number];

export interface Principal {
  id: string;
  name: string;
  kind: 'person' | 'service';
  party: Party;
  roles: readonly PrincipalRole[];
  tokenSha256?: string;
}

/**
 * How a decision names its author: `tax/wang.li`. A party's own service account (an `admins`
 * entry of an older registry, whose id is the party) is recorded under the party's name alone.
 */
export function principalName(principal: Pick<Principal, 'id' | 'party'>): string {
  return principal.id === principal.party ? principal.party : `${principal.party}/${principal.id}`;
}

export const hasRole = (principal: Principal, ...roles: PrincipalRole[]): boolean => roles.some((r) => principal.roles.includes(r));

/** An `admins` entry of an older registry: the party's service account, with every role. */
export function partyServicePrincipal(party: Party, tokenSha256: string): Principal {
  return { id: party, name: party, kind: 'service', party, roles: PRINCIPAL_ROLES, tokenSha256 };
}
