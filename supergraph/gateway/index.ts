export { createGateway, type GatewayOptions } from './create-gateway.ts';
export { GRAPHQL_RESPONSE, JSON_TYPE, negotiateMediaType } from './media-type.ts';
