// The gateway tells each provider who asks: every call carries a short-lived assertion, a JWT
// signed with the gateway's key (EdDSA; the public key is published as a JWKS), naming the
// request, the app, its department and purpose, the grants in force, the coordinates asked of
// that provider and the row scope. Providers verify it (subgraphs/kit/caller-trust.ts).

import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  getNamedType, isInterfaceType, isObjectType, Kind, parse,
  type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { LRUCache } from 'lru-cache';

import { ASSERTION_HEADER, REGISTRY_ISSUER } from '../../protocol/index.ts';

export { ASSERTION_HEADER };
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

/** Every schema coordinate a provider query selects (`_entities` fragments by their type). */
export function queryCoordinates(schema: GraphQLSchema, query: string): string[] {
  const document = parse(query, { noLocation: true });
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined) => {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        if (name.startsWith('__')) continue;
        if (name === '_entities') {
          if (s.selectionSet) walk(s.selectionSet, undefined);
          continue;
        }
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
        if (type && field) found.add(`${type.name}.${name}`);
        if (s.selectionSet) walk(s.selectionSet, field ? getNamedType(field.type) : undefined);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : type);
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, schema.getRootType(d.operation) ?? undefined);
  }
  return [...found].sort();
}

export interface AssertionSignerOptions {
  key: CallerKey;
  /** `jointgraph-gateway`, or `jointgraph-registry` for composition tooling. */
  issuer: string;
  /** The supergraph's API schema, to name the coordinates a provider query asks for. */
  schema?: GraphQLSchema;
}

export type AssertionSigner = (provider: string, query: string, claims: AssertionClaims) => Promise<string>;

export function assertionSigner({ key, issuer, schema }: AssertionSignerOptions): AssertionSigner {
  // Plans are cached, so the same few provider queries come back again and again.
  const coordinates = new LRUCache<string, string[]>({ maxSize: 8 * 2 ** 20, sizeCalculation: (v, k) => k.length + v.join().length });
  const coordinatesOf = (query: string): string[] => {
    if (!schema) return [];
    let found = coordinates.get(query);
    if (!found) {
      // Not every call is a GraphQL query (countersigning a checkpoint): it names no coordinates.
      try {
        found = queryCoordinates(schema, query);
      } catch {
        found = [];
      }
      coordinates.set(query, found);
    }
    return found;
  };
  return (provider, query, claims) =>
    new SignJWT({
      ...(claims.requestId ? { rid: claims.requestId } : {}),
      ...(claims.department ? { dept: claims.department } : {}),
      ...(claims.purpose ? { purpose: claims.purpose } : {}),
      grants: claims.grants ?? [],
      coords: coordinatesOf(query),
      ...(claims.rows ? { rows: claims.rows } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: key.publicJwk.kid! })
      .setIssuer(issuer)
      .setAudience(provider)
      .setSubject(claims.subject)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_S}s`)
      .sign(key.privateKey);
}

/** Headers for calls made as the operator's registry (composition, tooling): one signed assertion per call. */
export function registryHeaders(key: CallerKey, subject = 'registry'): (provider: string, query: string) => Promise<Record<string, string>> {
  const sign = assertionSigner({ key, issuer: REGISTRY_ISSUER });
  return async (provider, query) => ({ [ASSERTION_HEADER]: await sign(provider, query, { subject }) });
}
