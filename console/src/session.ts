// The signed-in credential, kept in this tab's sessionStorage and sent as a header by the console
// and GraphiQL. Never a cookie: a request another site triggers carries no credential (CSRF-safe).

export interface Session {
  /** An admin principal's bearer token, or an app's API key. */
  kind: 'token' | 'key';
  secret: string;
  /** The purpose an app states in GraphiQL. */
  purpose?: string;
}

const KEY = 'jointgraph.console.session';

export function signedIn(): Session | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return stored && (stored.kind === 'token' || stored.kind === 'key') && typeof stored.secret === 'string' ? stored : null;
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
  return session.kind === 'token' ? { authorization: `Bearer ${session.secret}` } : { 'x-api-key': session.secret };
}
