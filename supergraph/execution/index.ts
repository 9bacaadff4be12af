export { checkHealth, type HealthReport, type ProbeHeaders, type SubgraphHealth } from './health.ts';
export { createPlanExecutor, type PlanExecutor, type PlanRequest } from './plan-executor.ts';
export { checkProvider, type ProbeOutcome, type ProbeResult, type ProviderCheck, type ProviderCheckOptions } from './provider-check.ts';
export { createProviderClient, DEFAULT_BREAKER, type BreakerOptions, type CircuitState, type ProviderClient, type SubgraphCall } from './provider-client.ts';
export { supergraphGraphs, type SupergraphGraph } from './supergraph-graphs.ts';
export {
  ASSERTION_HEADER, assertionSigner, registryHeaders, callerKeyFile, exportCallerKey, generateCallerKey, importCallerKey, publishedKeys, queryCoordinates,
  type AssertionClaims, type AssertionSigner, type CallerKey, type SignedCallHeaders,
} from './caller-assertion.ts';
