export { AppKeyError, createApp, issueKey, keysOf, revokeKey, type IssuedKey, type KeyAction } from './app-keys.ts';
export { findBySecret, parseAppRegistry, readAppRegistry, sha256, type ApiKey, type AppEntry, type AppLimits, type AppRegistry } from './app-registry.ts';
export { mergeAppStore, openAppStore, type AppStore } from './app-store.ts';
export { createAuthenticator, type Authenticated, type Authenticator, type JwtKeys } from './authenticate.ts';
export { admitPurpose, purposeCovers, type PurposeRefusal } from './purpose.ts';
export { createPrincipal, issuePrincipalToken, PrincipalError, removePrincipal, type IssuedToken } from './principal-admin.ts';
export { hasRole, principalName, PRINCIPAL_ROLES, type Principal, type PrincipalRole } from './principal.ts';
export type { Party, Requester } from './requester.ts';
export { statedPurpose } from './stated-purpose.ts';
