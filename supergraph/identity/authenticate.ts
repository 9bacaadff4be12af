// Authentication of requesting apps: an API key, or a JWT (HS256 with a shared secret, RS256
// through a JWKS) whose issuer, audience and times are checked. A failure never says whether the
// app exists; why a token was refused goes only to the gateway's log. Admin principals sign in
// the same two ways: their admin token, or a JWT from the same issuer whose subject is `party/id`.

import {
  createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify,
  type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions,
} from 'jose';
import { findBySecret, type ApiKey, type AppEntry, type AppRegistry } from './app-registry.ts';
import type { Principal } from './principal.ts';
import type { Requester } from './requester.ts';

export interface JwtKeys {
  hs256Secret?: string;
  jwksUrl?: string;
  /** A JSON Web Key Set, e.g. read from a file. */
  jwks?: { keys: object[] };
  /** The longest lifetime a token may have, in seconds (JG_JWT_MAX_LIFETIME_S); without it no token is accepted. */
  maxLifetimeS?: number;
}

/** How far the issuer's clock may run ahead of or behind the gateway's, in seconds. */
const CLOCK_TOLERANCE_S = 30;

export interface Authenticated {
  requester: Requester;
  /** The purpose the token carries, if any. */
  purposeClaim?: string;
}

type Headers = Record<string, string | string[] | undefined>;
/** Told why credentials were refused, for the operator's log; the caller is never told. */
type OnRefused = (reason: string) => void;

export interface Authenticator {
  (headers: Headers, onRefused?: OnRefused): Promise<Authenticated | null>;
  /** An admin principal, read per request (one removed is refused at once): its admin token, or a JWT naming it `party/id`. */
  principal(headers: Headers, onRefused?: OnRefused): Promise<Principal | undefined>;
}

/** A JWT's subject naming an admin principal: `party/id` (an app id never holds a slash). */
const PRINCIPAL_SUBJECT = /^([^/]+)\/([^/]+)$/;

function header(headers: Headers, name: string): string | undefined {
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

  /** The token's claims, or why it is refused. */
  async function verify(token: string): Promise<JWTPayload | string> {
    const { maxLifetimeS } = keys;
    if (maxLifetimeS === undefined) return 'no maximum token lifetime is configured';
    try {
      const { alg } = decodeProtectedHeader(token);
      const options: JWTVerifyOptions = {
        issuer: registry.jwt.issuer,
        audience: registry.jwt.audience,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
        // maxTokenAge is how jose refuses an `iat` in the future; it would also demand an `iat`,
        // which a token may leave out (its lifetime then counts from now).
        ...(decodeJwt(token).iat !== undefined ? { maxTokenAge: maxLifetimeS } : {}),
      };
      const verified =
        alg === 'HS256' && secret ? await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })
        : alg === 'RS256' && jwks ? await jwtVerify(token, jwks, { ...options, algorithms: ['RS256'] })
        : null;
      if (!verified) return `no key for a ${String(alg)} token`;
      const { exp, iat = Math.floor(Date.now() / 1000) } = verified.payload;
      if (exp! - iat > maxLifetimeS) return `the token's lifetime (${exp! - iat} s) exceeds ${maxLifetimeS} s`;
      return verified.payload;
    } catch (error) {
      return error instanceof Error ? error.message : 'unreadable token';
    }
  }

  const app = async (headers: Headers, onRefused: OnRefused = () => {}): Promise<Authenticated | null> => {
    const authorization = header(headers, 'authorization') ?? '';
    const apiKey = header(headers, 'x-api-key') ?? (/^ApiKey\s+(.+)$/i.exec(authorization)?.[1]);
    if (apiKey) {
      // Read per request: a key issued, rotated or revoked through the admin endpoint counts at once.
      const found = findBySecret(liveKeys(registry), ({ key }) => key.sha256, apiKey.trim());
      return found ? { requester: withoutSecret(found.app) } : refused(onRefused, 'unknown, rotated or revoked API key');
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!bearer) return null;
    const claims = await verify(bearer);
    if (typeof claims === 'string') return refused(onRefused, `token: ${claims}`);
    const entry = typeof claims.sub === 'string' ? registry.apps.get(claims.sub) : undefined;
    if (!entry) return refused(onRefused, 'token: its subject is not a registered app');
    // A claim that is there but not a string must not leave the purpose open to the header.
    if (claims.purpose !== undefined && typeof claims.purpose !== 'string') return refused(onRefused, 'token: its purpose claim is not a string');
    return { requester: withoutSecret(entry), ...(typeof claims.purpose === 'string' ? { purposeClaim: claims.purpose } : {}) };
  };

  const principal = async (headers: Headers, onRefused: OnRefused = () => {}): Promise<Principal | undefined> => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
    if (!bearer) return undefined;
    const byToken = findBySecret(registry.principals, (p) => p.tokenSha256, bearer);
    if (byToken || bearer.split('.').length !== 3) return byToken;
    const subject = PRINCIPAL_SUBJECT.exec(String(decodeJwtSafely(bearer)?.sub ?? ''));
    // Not a principal's token: an app's, read by the app authentication.
    if (!subject) return undefined;
    const claims = await verify(bearer);
    if (typeof claims === 'string') return void onRefused(`principal token: ${claims}`);
    const found = registry.principals.find((p) => p.party === subject[1] && p.id === subject[2]);
    if (!found) onRefused(`principal token: no principal ${subject[1]}/${subject[2]}`);
    return found;
  };

  return Object.assign(app, { principal });
}

function decodeJwtSafely(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function refused(onRefused: (reason: string) => void, reason: string): null {
  onRefused(reason);
  return null;
}

function* liveKeys(registry: AppRegistry): Generator<{ app: AppEntry; key: ApiKey }> {
  const now = Date.now();
  for (const app of registry.apps.values()) {
    for (const key of app.apiKeys) if (key.notAfter === undefined || key.notAfter > now) yield { app, key };
  }
}

function withoutSecret(app: AppEntry): Requester {
  const { apiKeys: _secret, ...requester } = app;
  return requester;
}
