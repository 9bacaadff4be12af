export { findBySecret, parseAppRegistry, readAppRegistry, sha256, type AdminEntry, type AppEntry, type AppLimits, type AppRegistry } from './app-registry.ts';
export { createAuthenticator, type Authenticated, type Authenticator, type JwtKeys } from './authenticate.ts';
export { admitPurpose, purposeCovers, type PurposeRefusal } from './purpose.ts';
export type { Party, Requester } from './requester.ts';
export { statedPurpose } from './stated-purpose.ts';
