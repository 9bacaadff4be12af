// Admin credentials: the bearer token of a principal (a person or service account of the
// operator or of a provider), checked against the digests in the app registry. The admin
// endpoint and the operator-only routes (/metrics, the detailed /health) read them the same way.

import type { IncomingHttpHeaders } from 'node:http';
import { errorBody } from '../errors/index.ts';
import { findBySecret, type AppRegistry, type Principal } from '../identity/index.ts';

export function adminPrincipal(registry: AppRegistry, headers: IncomingHttpHeaders): Principal | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  return bearer ? findBySecret(registry.principals, (p) => p.tokenSha256, bearer) : undefined;
}

export type OperatorCheck = (headers: IncomingHttpHeaders) => { ok: true } | { ok: false; status: 401 | 403; body: ReturnType<typeof errorBody> };

/**
 * Whether a request carries the admin token of one of the operator's principals. Not `required`
 * (plain federation: no labels, no admin parties), every request passes, as before authorization
 * existed. Required without a registry, none does: there is no operator token to check against.
 */
export function operatorCheck({ required, registry }: { required: boolean; registry?: AppRegistry | undefined }): OperatorCheck {
  return (headers) => {
    if (!required) return { ok: true };
    const party = registry ? adminPrincipal(registry, headers)?.party : undefined;
    if (party === 'operator') return { ok: true };
    return party
      ? { ok: false, status: 403, body: errorBody('OPERATOR_ONLY', `${party} is a provider; this is the operator's.`) }
      : { ok: false, status: 401, body: errorBody('ADMIN_UNAUTHENTICATED', "Missing or invalid admin credentials: send the operator's admin token.") };
  };
}
