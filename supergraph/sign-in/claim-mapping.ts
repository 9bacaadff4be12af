// Who a person signed in at the identity provider is to JointGraph: the configuration maps the
// provider's claims and groups to a party and roles. A person the mapping does not place in one
// party with at least one role is refused, never given a default.

import { PRINCIPAL_ROLES, type Principal, type PrincipalRole } from '../identity/index.ts';

export interface ClaimMapping {
  idClaim: string;
  partyClaim?: string | undefined;
  /** A party claim's value → the party it means; a value not listed is the party's own name. */
  parties: Readonly<Record<string, string>>;
  groupsClaim: string;
  groups: Readonly<Record<string, { party?: string | undefined; roles: readonly string[] }>>;
}

export type Mapped = { ok: true; principal: Principal } | { ok: false; message: string };

/** A principal id as the trail writes it after the party (`tax/wang.li`): no slash, no spaces. */
const PRINCIPAL_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** The roles a mapping names that no principal can hold: each is a configuration mistake. */
export function unknownRoles(mapping: ClaimMapping): string[] {
  return Object.entries(mapping.groups).flatMap(([group, { roles }]) => roles.filter((r) => !(PRINCIPAL_ROLES as readonly string[]).includes(r)).map((r) => `${group}: ${r}`));
}

/** The groups a claim lists: an array of names, or one name; a Keycloak-style path (`/jg-approvers`) counts as its name too. */
function groupsOf(value: unknown): string[] {
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
  return names.flatMap((name) => (name.startsWith('/') ? [name, name.slice(1)] : [name]));
}

export function principalFromClaims(claims: Readonly<Record<string, unknown>>, mapping: ClaimMapping, knownParties: readonly string[]): Mapped {
  const rawId = claims[mapping.idClaim] ?? claims.sub;
  if (typeof rawId !== 'string' || !PRINCIPAL_ID.test(rawId)) return { ok: false, message: `The claim ${mapping.idClaim} (or sub) is no principal id: letters, digits, ".", "_", "@" and "-".` };
  const matched = groupsOf(claims[mapping.groupsClaim]).flatMap((g) => (mapping.groups[g] ? [mapping.groups[g]] : []));
  const claimed = mapping.partyClaim !== undefined ? claims[mapping.partyClaim] : undefined;
  const fromClaim = typeof claimed === 'string' ? (mapping.parties[claimed] ?? claimed) : undefined;
  const named = new Set([...(fromClaim ? [fromClaim] : []), ...matched.flatMap((g) => (g.party ? [g.party] : []))]);
  if (named.size > 1) return { ok: false, message: `${rawId}'s claims name more than one party (${[...named].join(', ')}).` };
  const [party] = named;
  if (!party) return { ok: false, message: `${rawId}'s claims name no party${mapping.partyClaim ? ` (the claim ${mapping.partyClaim} is missing)` : ''} and none of its groups gives one.` };
  if (!knownParties.includes(party)) return { ok: false, message: `${rawId}'s party "${party}" is neither the operator nor a provider of this platform.` };
  const roles = [...new Set(matched.filter((g) => !g.party || g.party === party).flatMap((g) => g.roles))] as PrincipalRole[];
  if (roles.length === 0) return { ok: false, message: `${rawId} (${party}) is in no group that gives a role.` };
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : rawId;
  return { ok: true, principal: { id: rawId, name, kind: 'person', party, roles } };
}
