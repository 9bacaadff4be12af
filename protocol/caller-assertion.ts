// The header a provider reads who asks from: a JWT the gateway signs for every call (see
// supergraph/execution/caller-assertion.ts, which signs, and subgraphs/kit/caller-trust.ts, which verifies).

export const ASSERTION_HEADER = 'x-jointgraph-assertion';

/** Issuers: the gateway on a requester's behalf, and the operator's registry tooling (composition). */
export const GATEWAY_ISSUER = 'jointgraph-gateway';
export const REGISTRY_ISSUER = 'jointgraph-registry';

/** Where a provider countersigns the operator's audit checkpoints (the gateway's assertion required). */
export const COUNTERSIGN_PATH = '/jointgraph/countersign';
