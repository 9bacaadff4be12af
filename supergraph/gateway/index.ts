export { createGateway, type GatewayOptions } from './create-gateway.ts';
export { buildGatewaySchema } from './gateway-schema.ts';
export { checkHealth, type HealthReport } from './health.ts';
export { GRAPHQL_RESPONSE, JSON_TYPE, negotiateMediaType } from './media-type.ts';
export type { SubgraphCall } from './subgraph-executor.ts';
export { supergraphGraphs } from './supergraph-graphs.ts';
