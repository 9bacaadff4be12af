// Live changes to the admin principals: create one, give it a new token, remove it. Each is
// stored first (the control-plane store), then applied to the registry in place, so the next request sees it: a
// removed principal's token and tokens (JWTs naming it) are refused from then on. A token is
// returned once and kept only as its digest.

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sha256, type AppRegistry } from './app-registry.ts';
import type { AppStore } from './app-store.ts';
import { hasRole, PRINCIPAL_ROLES, type Principal } from './principal.ts';

export class PrincipalError extends Error {
  constructor(readonly code: 'PRINCIPAL_INVALID' | 'PRINCIPAL_NOT_FOUND', message: string) {
    super(message);
  }
}

export interface IssuedToken {
  principal: Principal;
  /** The admin token itself: shown once, never stored. */
  token: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const principalInput = z.strictObject({
  party: z.string().regex(ID, 'a party: "operator" or a provider\'s subgraph name'),
  id: z.string().regex(ID, 'an id of letters, digits, ".", "_" and "-"'),
  name: z.string().trim().min(1).max(256).optional(),
  kind: z.enum(['person', 'service']),
  roles: z.array(z.enum(PRINCIPAL_ROLES)).min(1, 'at least one role').refine((r) => new Set(r).size === r.length, 'each role once'),
});

export type PrincipalInput = z.input<typeof principalInput>;

function storeOf(registry: AppRegistry): AppStore {
  if (!registry.store) throw new PrincipalError('PRINCIPAL_INVALID', 'This gateway keeps no app store: principals are managed only where authorization is on.');
  return registry.store;
}

const same = (party: string, id: string) => (p: Principal) => p.party === party && p.id === id;

function find(registry: AppRegistry, party: string, id: string): Principal {
  const principal = registry.principals.find(same(party, id));
  if (!principal) throw new PrincipalError('PRINCIPAL_NOT_FOUND', `No principal ${party}/${id}.`);
  return principal;
}

const newToken = () => `jg-admin-${randomBytes(24).toString('base64url')}`;

/**
 * A new principal, with its first token. Its party is the operator or a provider, one served or
 * one being onboarded: a new department's publisher exists before its first publication.
 */
export async function createPrincipal(registry: AppRegistry, input: unknown, by: string, at: Date): Promise<IssuedToken> {
  const parsed = principalInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PrincipalError('PRINCIPAL_INVALID', `${issue.path.join('.') || 'the principal'}: ${issue.message}`);
  }
  const { party, id, name, kind, roles } = parsed.data;
  if (registry.principals.some(same(party, id))) throw new PrincipalError('PRINCIPAL_INVALID', `A principal ${party}/${id} exists already.`);
  const token = newToken();
  const principal: Principal = { id, name: name ?? id, kind, party, roles, tokenSha256: sha256(token) };
  await storeOf(registry).savePrincipal(principal, at.toISOString(), by);
  registry.principals = [...registry.principals.filter((p) => !same(party, id)(p)), principal];
  return { principal, token };
}

/** A new token for the principal; its former token is refused from the next request. */
export async function issuePrincipalToken(registry: AppRegistry, party: string, id: string, by: string, at: Date): Promise<IssuedToken> {
  const store = storeOf(registry);
  const current = find(registry, party, id);
  const token = newToken();
  const principal: Principal = { ...current, tokenSha256: sha256(token) };
  await store.savePrincipal(principal, at.toISOString(), by);
  registry.principals = registry.principals.map((p) => (p.party === party && p.id === id ? principal : p));
  return { principal, token };
}

/** Removes the principal; the operator's last maintainer stays, so that someone can still manage principals. */
export async function removePrincipal(registry: AppRegistry, party: string, id: string, by: string, at: Date): Promise<Principal> {
  const store = storeOf(registry);
  const principal = find(registry, party, id);
  const maintainers = registry.principals.filter((p) => p.party === 'operator' && hasRole(p, 'maintainer'));
  if (maintainers.length === 1 && maintainers[0] === principal) {
    throw new PrincipalError('PRINCIPAL_INVALID', `${party}/${id} is the operator's last maintainer: create another one first.`);
  }
  await store.removePrincipal({ party, id }, at.toISOString(), by);
  registry.principals = registry.principals.filter((p) => !(p.party === party && p.id === id));
  return principal;
}
