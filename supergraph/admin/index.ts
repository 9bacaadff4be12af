export { registerAdmin, type AdminOptions } from './admin-plugin.ts';
export type { GatewayState, OperationCheck } from './gateway-state.ts';
