// The signed-in credential, kept in this tab's sessionStorage and sent as a header by the console
// and GraphiQL. A token or key is never a cookie: a request another site triggers carries no
// credential (CSRF-safe). With single sign-on the credential is the gateway's HttpOnly session
// cookie, and what is kept here is its CSRF token, sent as a header the same way.

export interface Session {
  /** An admin principal's bearer token, an app's API key, or a single sign-on session's CSRF token. */
  kind: 'token' | 'key' | 'sso';
  secret: string;
  /** The purpose an app states in GraphiQL. */
  purpose?: string;
}

const KEY = 'jointgraph.console.session';

export function signedIn(): Session | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return stored && ['token', 'key', 'sso'].includes(stored.kind) && typeof stored.secret === 'string' ? stored : null;
  } catch {
    return null;
  }
}

export function signIn(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** Forgets the credential and GraphiQL's saved state of this tab, whose history holds headers. */
export function signOut(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('jointgraph.')) sessionStorage.removeItem(key);
}

export function credentialHeaders(session: Session): Record<string, string> {
  if (session.kind === 'sso') return { 'x-jointgraph-csrf': session.secret };
  return session.kind === 'token' ? { authorization: `Bearer ${session.secret}` } : { 'x-api-key': session.secret };
}

/** `available`: the gateway offers single sign-on (its /auth routes exist); `session`: the one this browser holds, if any. */
export async function singleSignOn(): Promise<{ available: boolean; session: Session | null }> {
  const response = await fetch('/auth/session', { headers: { accept: 'application/json' } });
  if (!response.ok) return { available: response.status !== 404, session: null };
  const { csrf } = (await response.json()) as { csrf: string };
  return { available: true, session: { kind: 'sso', secret: csrf } };
}

/** Ends the single sign-on session; the answer says where the browser goes next (the identity provider's sign-out, or the console). */
export async function endSingleSignOn(session: Session): Promise<string> {
  const response = await fetch('/auth/sign-out', { method: 'POST', headers: credentialHeaders(session) });
  const body = (await response.json().catch(() => ({}))) as { location?: string };
  return body.location ?? '/console/';
}
