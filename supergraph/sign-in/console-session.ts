// Reads the console session a request carries: the principal it names, or why it is refused
// (expired or signed out; a tampered or foreign cookie is no session at all). The admin endpoint
// takes the session only with its CSRF token in a header, which another site cannot send.

import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../errors/index.ts';
import type { Principal, PrincipalRole } from '../identity/index.ts';
import type { EndedSessions } from './ended-sessions.ts';
import { cookieValue, type CookieSealer } from './session-cookie.ts';

export const CSRF_HEADER = 'x-jointgraph-csrf';

/** What the session cookie holds (encrypted): who signed in, the CSRF token, its id, and the ID token for signing out at the provider. */
export interface SessionClaims {
  sid: string;
  party: string;
  pid: string;
  name: string;
  roles: PrincipalRole[];
  csrf: string;
  idt?: string;
}

export interface Session {
  principal: Principal;
  claims: SessionClaims;
  expiresAt: Date;
}

export type SessionVerdict = { kind: 'none' } | { kind: 'refused'; code: Extract<ErrorCode, 'SESSION_EXPIRED' | 'SESSION_CSRF_INVALID' | 'ADMIN_UNAUTHENTICATED'>; message: string } | { kind: 'signed-in'; session: Session };

export interface ConsoleSessions {
  /** The session of a request; `csrf`: its header must carry the session's token. */
  read(headers: IncomingHttpHeaders, options: { csrf: boolean }): Promise<SessionVerdict>;
  /** A new session's cookie value for a principal. */
  start(principal: Principal, idToken: string | undefined): Promise<string>;
  end(session: Session): void;
}

export function consoleSessions(parts: { sealer: CookieSealer; cookie: string; lifetimeS: number; ended: EndedSessions; now?: () => Date }): ConsoleSessions {
  const { sealer, cookie, lifetimeS, ended } = parts;
  const now = parts.now ?? (() => new Date());
  return {
    async read(headers, { csrf }) {
      const sealed = cookieValue(headers.cookie, cookie);
      if (!sealed) return { kind: 'none' };
      const opened = await sealer.open<SessionClaims>('session', sealed, lifetimeS, now());
      if (!opened.ok) {
        return opened.expired
          ? { kind: 'refused', code: 'SESSION_EXPIRED', message: 'Your console session has expired: sign in again.' }
          : { kind: 'refused', code: 'ADMIN_UNAUTHENTICATED', message: 'The session cookie is not valid here: sign in again.' };
      }
      const claims = opened.claims;
      if (ended.has(claims.sid)) return { kind: 'refused', code: 'SESSION_EXPIRED', message: 'This console session was signed out: sign in again.' };
      if (csrf && !sameToken(headers[CSRF_HEADER], claims.csrf)) {
        return { kind: 'refused', code: 'SESSION_CSRF_INVALID', message: `A request signed in by the session cookie must carry its ${CSRF_HEADER} header.` };
      }
      const principal: Principal = { id: claims.pid, name: claims.name, kind: 'person', party: claims.party, roles: claims.roles };
      return { kind: 'signed-in', session: { principal, claims, expiresAt: new Date(claims.exp! * 1000) } };
    },
    start(principal, idToken) {
      const claims: SessionClaims = {
        sid: randomUUID(), party: principal.party, pid: principal.id, name: principal.name, roles: [...principal.roles],
        csrf: randomBytes(24).toString('base64url'), ...(idToken ? { idt: idToken } : {}),
      };
      return sealer.seal('session', { ...claims }, lifetimeS, now());
    },
    end(session) {
      ended.end(session.claims.sid, session.expiresAt.getTime(), now().getTime());
    },
  };
}

function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(sent), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
