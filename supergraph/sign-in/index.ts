export type { ConsoleSessions, SessionVerdict } from './console-session.ts';
export { cookieSealer } from './session-cookie.ts';
export { principalFromClaims, type ClaimMapping } from './claim-mapping.ts';
export { signIn, type SignIn, type SignInOptions } from './sign-in-routes.ts';
