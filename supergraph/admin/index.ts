export { registerAdmin, type AdminOptions } from './admin-plugin.ts';
export type { GatewayState } from './gateway-state.ts';
