export { operatorCheck, type OperatorCheck } from './admin-credentials.ts';
export { registerAdmin, type AdminOptions } from './admin-plugin.ts';
export type { GatewayState, OperationCheck } from './gateway-state.ts';
