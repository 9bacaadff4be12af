// The console's only backend: the admin endpoint, one POST per query, the credential as a header.

import { credentialHeaders, signedIn } from './session.ts';

export class AdminError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

export async function admin<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const session = signedIn();
  const response = await fetch('/admin/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(session ? credentialHeaders(session) : {}) },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = body.errors?.[0];
  if (error) throw new AdminError(error.message, error.extensions?.code);
  return body.data as T;
}
