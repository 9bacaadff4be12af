// Grants for the benchmark's requester, filed and jointly approved through the gateway's own
// admin endpoint, as an app and its parties would: one application, every party approves.

import type { FastifyInstance } from 'fastify';
import type { LabelCatalog } from '../../supergraph/labels/index.ts';

export interface GrantPlan {
  /** The requesting app's API key and the purpose its requests state. */
  apiKey: string;
  purpose: string;
  /** Admin token of party P is `${adminTokenPrefix}${P}`. */
  adminTokenPrefix: string;
  /** CONDITIONAL coordinates left out of the application: the requester lacks these grants. */
  withhold: string[];
}

async function admin(gateway: FastifyInstance, headers: Record<string, string>, query: string, variables?: object) {
  const response = await gateway.inject({ method: 'POST', url: '/admin/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query, variables } });
  const body = response.json() as { data?: Record<string, unknown>; errors?: unknown[] };
  if (response.statusCode !== 200 || body.errors) throw new Error(`admin endpoint: HTTP ${response.statusCode} ${JSON.stringify(body.errors ?? body)}`);
  return body.data!;
}

/** Every CONDITIONAL coordinate of the catalogue except the withheld ones. */
export function grantedCoordinates(catalog: LabelCatalog, withhold: readonly string[]): string[] {
  return [...catalog.fields.values()].filter((f) => f.label.sharing === 'CONDITIONAL' && !withhold.includes(f.coordinate)).map((f) => f.coordinate).sort();
}

export async function applyGrants(gateway: FastifyInstance, catalog: LabelCatalog, plan: GrantPlan): Promise<{ id: string; coordinates: number }> {
  const coordinates = grantedCoordinates(catalog, plan.withhold);
  const applied = await admin(
    gateway,
    { 'x-api-key': plan.apiKey },
    'mutation($input: ApplyInput!) { apply(input: $input) { id parties { party } } }',
    { input: { coordinates, purpose: plan.purpose.split('/')[0], basis: 'Benchmark requester', expiresAt: '2099-01-01T00:00:00Z' } },
  );
  const application = applied.apply as { id: string; parties: { party: string }[] };
  for (const { party } of application.parties) {
    await admin(gateway, { authorization: `Bearer ${plan.adminTokenPrefix}${party}` }, `mutation { approve(id: "${application.id}") { id status } }`);
  }
  return { id: application.id, coordinates: coordinates.length };
}
