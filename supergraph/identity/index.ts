export { findBySecret, parseAppRegistry, readAppRegistry, sha256, type AdminEntry, type AppEntry, type AppLimits, type AppRegistry } from './app-registry.ts';
export { createAuthenticator, type Authenticated, type Authenticator, type JwtKeys } from './authenticate.ts';
export type { Party, Requester } from './requester.ts';
