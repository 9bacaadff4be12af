// The gateway tells each provider who asks: every call carries a short-lived assertion, a JWT
// signed with the gateway's key (EdDSA; the public key is published as a JWKS), naming the
// request, the app, its department and purpose, the grants in force, the coordinates asked of
// that provider and the row scope, bound to the call's method, URL and body digest.
// Providers verify it (subgraphs/kit/caller-trust.ts; the protocol is in docs/provider-protocol.md).

import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';

import { ASSERTION_HEADER, bindingClaims, memoisedCoordinates, queryCoordinates, REGISTRY_ISSUER, type BoundCall } from '../../protocol/index.ts';

export { ASSERTION_HEADER, queryCoordinates };
const ALGORITHM = 'EdDSA';
/** An assertion is good for one call: long enough for the provider's queue, no longer. */
const LIFETIME_S = 60;

export interface CallerKey {
  privateKey: CryptoKey;
  /** The public half, as providers are configured to trust it. */
  publicJwk: JWK;
}

/** What one request says about itself to every provider it calls. */
export interface AssertionClaims {
  /** The app, or `gateway` for the gateway's own calls (health probes). */
  subject: string;
  requestId?: string;
  department?: string | null;
  purpose?: string;
  grants?: readonly string[];
  /** A district-limited grant: its coordinates, and the types whose records they are. */
  rows?: { district: string; types: readonly string[]; coordinates: readonly string[] } | null;
  /** The coordinates asked, for a signer without the supergraph's schema (tooling that knows what it asks). */
  coordinates?: readonly string[];
}

async function keyFromJwk(jwk: JWK): Promise<CallerKey> {
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey: (await importJWK(jwk, ALGORITHM, { extractable: true })) as CryptoKey, publicJwk: { ...publicJwk, alg: ALGORITHM, use: 'sig' } };
}

export async function generateCallerKey(): Promise<CallerKey> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return keyFromJwk({ ...jwk, kid: randomUUID() });
}

/** The private JWK, to hand to a gateway process. */
export async function exportCallerKey(key: CallerKey): Promise<JWK> {
  return { ...(await exportJWK(key.privateKey)), kid: key.publicJwk.kid! };
}

export const importCallerKey = keyFromJwk;

/** Loads the signing key from `file`, creating it (readable by its owner only) on first use. */
export async function callerKeyFile(file: string): Promise<{ key: CallerKey; created: boolean }> {
  if (existsSync(file)) return { key: await keyFromJwk(JSON.parse(readFileSync(file, 'utf8')) as JWK), created: false };
  const key = await generateCallerKey();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(await exportCallerKey(key)), { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, created: true };
}

export function publishedKeys(...keys: CallerKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

export interface AssertionSignerOptions {
  key: CallerKey;
  /** `jointgraph-gateway`, or `jointgraph-registry` for composition tooling. */
  issuer: string;
  /** The supergraph's API schema, to name the coordinates a provider query asks for. */
  schema?: GraphQLSchema;
  /** When assertions are issued (ms since the epoch): now, unless a check wants one already expired (jointgraph provider-check). */
  clock?: () => number;
}

/** Signs the assertion for one call: `query` names the coordinates, `call` is what the provider receives. */
export type AssertionSigner = (provider: string, query: string, claims: AssertionClaims, call: BoundCall) => Promise<string>;

export function assertionSigner({ key, issuer, schema, clock = () => Date.now() }: AssertionSignerOptions): AssertionSigner {
  const coordinatesOf = schema ? memoisedCoordinates(schema, 8 * 2 ** 20) : () => [];
  return (provider, query, claims, call) => {
    const issuedAt = Math.floor(clock() / 1000);
    return new SignJWT({
      ...bindingClaims(call),
      ...(claims.requestId ? { rid: claims.requestId } : {}),
      ...(claims.department ? { dept: claims.department } : {}),
      ...(claims.purpose ? { purpose: claims.purpose } : {}),
      grants: claims.grants ?? [],
      coords: claims.coordinates ?? coordinatesOf(query),
      ...(claims.rows ? { rows: claims.rows } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: key.publicJwk.kid! })
      .setIssuer(issuer)
      .setAudience(provider)
      .setSubject(claims.subject)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + LIFETIME_S)
      .sign(key.privateKey);
  };
}

/** Headers that sign one call to a provider: the assertion, bound to that call. */
export type SignedCallHeaders = (provider: string, query: string, call: BoundCall) => Promise<Record<string, string>>;

/** Headers for calls made as the operator's registry (composition, tooling): one signed assertion per call. */
export function registryHeaders(key: CallerKey, subject = 'registry'): (...args: [...Parameters<SignedCallHeaders>, coordinates?: readonly string[]]) => ReturnType<SignedCallHeaders> {
  const sign = assertionSigner({ key, issuer: REGISTRY_ISSUER });
  return async (provider, query, call, coordinates) => ({ [ASSERTION_HEADER]: await sign(provider, query, { subject, ...(coordinates ? { coordinates } : {}) }, call) });
}
