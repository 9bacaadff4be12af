// Authentication of requesting apps: an API key, or a JWT (HS256 with a shared secret, RS256
// through a JWKS) whose issuer and audience are checked. A failure never says whether the app exists.

import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { findBySecret, type AppRegistry } from './app-registry.ts';
import type { Requester } from './requester.ts';

export interface JwtKeys {
  hs256Secret?: string;
  jwksUrl?: string;
  /** A JSON Web Key Set, e.g. read from a file. */
  jwks?: { keys: object[] };
}

export interface Authenticated {
  requester: Requester;
  /** The purpose the token carries, if any. */
  purposeClaim?: string;
}

export type Authenticator = (headers: Record<string, string | string[] | undefined>) => Promise<Authenticated | null>;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createAuthenticator(registry: AppRegistry, keys: JwtKeys): Authenticator {
  const jwks: JWTVerifyGetKey | undefined = keys.jwks
    ? createLocalJWKSet(keys.jwks as never)
    : keys.jwksUrl
      ? createRemoteJWKSet(new URL(keys.jwksUrl))
      : undefined;
  const secret = keys.hs256Secret ? new TextEncoder().encode(keys.hs256Secret) : undefined;

  async function verify(token: string): Promise<JWTPayload | null> {
    const options = { issuer: registry.jwt.issuer, audience: registry.jwt.audience };
    try {
      const alg = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg;
      if (alg === 'HS256' && secret) return (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
      if (alg === 'RS256' && jwks) return (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256'] })).payload;
      return null;
    } catch {
      return null;
    }
  }

  return async (headers) => {
    const authorization = header(headers, 'authorization') ?? '';
    const apiKey = header(headers, 'x-api-key') ?? (/^ApiKey\s+(.+)$/i.exec(authorization)?.[1]);
    if (apiKey) {
      const app = findBySecret(registry.apps.values(), (a) => a.apiKeySha256, apiKey.trim());
      return app ? { requester: withoutSecret(app) } : null;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!bearer) return null;
    const claims = await verify(bearer);
    const app = typeof claims?.sub === 'string' ? registry.apps.get(claims.sub) : undefined;
    if (!claims || !app) return null;
    return { requester: withoutSecret(app), ...(typeof claims.purpose === 'string' ? { purposeClaim: claims.purpose } : {}) };
  };
}

function withoutSecret(app: Requester & { apiKeySha256?: string }): Requester {
  const { apiKeySha256: _secret, ...requester } = app;
  return requester;
}
