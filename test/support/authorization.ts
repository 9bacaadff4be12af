// Helpers for tests of labels, grants and enforcement on the sample platform: requests as a
// demo app, admin calls as a party, and a jointly approved grant in one step.

import type { TestPlatform, GraphQLBody } from './platform.ts';

export const APPS = {
  tax: 'jg-demo-tax-inspection',
  assistance: 'jg-demo-social-assistance',
  nanhu: 'jg-demo-street-office',
  portal: 'jg-demo-credit-portal',
} as const;

export const PARTIES = ['operator', 'population', 'enterprise', 'social-insurance', 'tax', 'civil-affairs'] as const;

export function asApp(platform: TestPlatform, apiKey: string, purpose: string) {
  return async (query: string, variables?: Record<string, unknown>): Promise<GraphQLBody & { status: number }> => {
    const response = await platform.gateway.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'x-api-key': apiKey, 'x-jointgraph-purpose': purpose },
      payload: { query, ...(variables ? { variables } : {}) },
    });
    return { ...(response.json() as GraphQLBody), status: response.statusCode };
  };
}

export async function adminCall(platform: TestPlatform, credentials: { token?: string; apiKey?: string }, query: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
  if (credentials.apiKey) headers['x-api-key'] = credentials.apiKey;
  const response = await platform.gateway.inject({ method: 'POST', url: '/admin/graphql', headers, payload: { query, variables } });
  return { status: response.statusCode, ...(response.json() as GraphQLBody) };
}

export interface ApplyOptions {
  coordinates?: string[];
  selector?: string;
  purpose: string;
  expiresAt?: string;
  rowScope?: 'ALL' | 'OWN_DISTRICT';
}

export async function applyFor(platform: TestPlatform, apiKey: string, options: ApplyOptions) {
  const result = await adminCall(
    platform,
    { apiKey },
    'mutation($input: ApplyInput!) { apply(input: $input) { id status coordinates parties { party decision } } }',
    { input: { basis: 'Test basis', expiresAt: options.expiresAt ?? '2099-01-01T00:00:00Z', ...options } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.apply as { id: string; status: string; coordinates: string[]; parties: { party: string; decision: string }[] };
}

export async function answer(platform: TestPlatform, party: string, id: string, verb: 'approve' | 'refuse' | 'revoke', reason = 'Test reason') {
  const args = verb === 'approve' ? `id: "${id}"` : `id: "${id}", reason: "${reason}"`;
  return adminCall(platform, { token: `jg-admin-${party}` }, `mutation { ${verb}(${args}) { id status } }`);
}

/** Files an application and has every required party approve it. */
export async function grant(platform: TestPlatform, apiKey: string, options: ApplyOptions): Promise<string> {
  const application = await applyFor(platform, apiKey, options);
  for (const { party } of application.parties) {
    const result = await answer(platform, party, application.id, 'approve');
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }
  return application.id;
}
