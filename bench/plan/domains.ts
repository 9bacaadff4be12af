// The subgraph setups the gateways are measured on: the standard benchmark shape (scenario 1),
// the sample government domain on the README's city (scenario 2) and on a city big enough for
// 10,000 enterprises (scenario 3). Each also says how JointGraph's authorization is set up on it.

import type { GrantPlan } from '../gateways/jointgraph-grants.ts';

export type DomainId = 'standard' | 'sample' | 'fanout';

export interface Domain {
  id: DomainId;
  title: string;
  /** The subgraph process entry and its arguments. */
  entry: string;
  args: string[];
  authorization: {
    labels: string;
    apps: string;
    plan: Omit<GrantPlan, 'withhold'>;
    /** What the requester lacking some grants lacks. */
    withhold: string[];
    /** The operator's cache policy for the configuration with the cache on. */
    cachePolicy: string;
  };
}

const file = (path: string) => new URL(`../../${path}`, import.meta.url).pathname;

const SAMPLE_AUTHORIZATION: Domain['authorization'] = {
  labels: file('supergraph/labels.json'),
  apps: file('supergraph/apps.json'),
  plan: { apiKey: 'jg-demo-tax-inspection', purpose: 'tax-inspection/CASE-2026-0042', adminTokenPrefix: 'jg-admin-' },
  // The README walk-through's requester before its application: no arrears, no names of persons.
  withhold: ['Enterprise.taxArrears', 'Person.name'],
  cachePolicy: file('supergraph/cache-policy.json'),
};

export const DOMAINS: Readonly<Record<DomainId, Domain>> = Object.freeze({
  standard: {
    id: 'standard',
    title: 'standard federation benchmark subgraphs',
    entry: file('bench/standard/standard-process.ts'),
    args: [],
    authorization: {
      labels: file('bench/standard/authz-labels.json'),
      apps: file('bench/standard/authz-apps.json'),
      plan: { apiKey: 'bench-standard-key', purpose: 'benchmark/standard', adminTokenPrefix: 'bench-admin-' },
      withhold: ['Review.body', 'User.name'],
      cachePolicy: file('bench/standard/cache-policy.json'),
    },
  },
  sample: {
    id: 'sample',
    title: 'sample domain, default city (10,000 residents, 2,000 enterprises)',
    entry: file('bench/sample/sample-process.ts'),
    args: [],
    authorization: SAMPLE_AUTHORIZATION,
  },
  fanout: {
    id: 'fanout',
    title: 'sample domain, fan-out city (50,000 residents, 10,000 enterprises)',
    entry: file('bench/sample/sample-process.ts'),
    args: ['--persons', '50000', '--enterprises', '10000'],
    authorization: SAMPLE_AUTHORIZATION,
  },
});

/** The smoke run's fan-out city: enough enterprises for N = 100, seeded at once. */
export const SMOKE_FANOUT_ARGS = ['--persons', '500', '--enterprises', '100'];
