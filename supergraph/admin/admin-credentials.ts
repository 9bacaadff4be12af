// Admin credentials: a principal of the operator or of a provider (a person or service account),
// signed in with its admin token or a JWT naming it (the authenticator reads both), or, on the
// admin endpoint, a person's console session (single sign-on). The operator-only routes
// (/metrics, the detailed /health) take the tokens only.

import type { IncomingHttpHeaders } from 'node:http';
import { errorBody } from '../errors/index.ts';
import type { Principal } from '../identity/index.ts';
import type { ConsoleSessions, SessionVerdict } from '../sign-in/index.ts';

export type PrincipalOf = (headers: IncomingHttpHeaders) => Promise<Principal | undefined>;

export type OperatorCheck = (headers: IncomingHttpHeaders) => Promise<{ ok: true } | { ok: false; status: 401 | 403; body: ReturnType<typeof errorBody> }>;

/**
 * Whether a request carries the credentials of one of the operator's principals. Not `required`
 * (plain federation: no labels, no admin parties), every request passes, as before authorization
 * existed. Required without principals, none does: there is no operator credential to check.
 */
export function operatorCheck({ required, principal }: { required: boolean; principal?: PrincipalOf | undefined }): OperatorCheck {
  return async (headers) => {
    if (!required) return { ok: true };
    const party = (await principal?.(headers))?.party;
    if (party === 'operator') return { ok: true };
    return party
      ? { ok: false, status: 403, body: errorBody('OPERATOR_ONLY', `${party} is a provider; this is the operator's.`) }
      : { ok: false, status: 401, body: errorBody('ADMIN_UNAUTHENTICATED', "Missing or invalid admin credentials: send the operator's admin token.") };
  };
}

/** The console session of a request that carries no token of its own: a token, valid or not, always decides alone. */
export async function sessionCredentials(sessions: ConsoleSessions | undefined, headers: IncomingHttpHeaders): Promise<SessionVerdict> {
  if (!sessions || headers.authorization !== undefined || headers['x-api-key'] !== undefined) return { kind: 'none' };
  return sessions.read(headers, { csrf: true });
}
