// A provider verifies who asks. Every call carries a short-lived assertion signed by the
// gateway (or by the operator's registry tooling): a JWT (EdDSA) in `x-jointgraph-assertion`
// naming the request, the app, its department and purpose, the grants in force, the
// coordinates asked of this provider and the row scope. The provider checks the signature
// against the keys it trusts, the audience (itself), the lifetime and that the assertion was
// never used before; applies its own rules; and keeps its own access log. Unsigned, expired,
// replayed or refused calls are answered 401/403 before any resolver runs, `_service` and
// introspection included.

import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';

import { ASSERTION_HEADER, GATEWAY_ISSUER, REGISTRY_ISSUER } from '../../protocol/index.ts';

export { ASSERTION_HEADER };

/** What a verified assertion says about one call. */
export interface CallerAssertion {
  /** `gateway` for a requester's call, `registry` for composition and operator tooling. */
  issuer: string;
  /** The app, or the gateway itself (health probes, composition). */
  subject: string;
  requestId: string | null;
  department: string | null;
  purpose: string | null;
  grants: string[];
  coordinates: string[];
  /** A district-limited grant: records of these types outside the district are not to be returned when these coordinates are asked for. */
  rows: { district: string; types: string[]; coordinates: string[] } | null;
}

export interface CallerTrust {
  /** The public keys of the gateway and the registry. */
  keys: JSONWebKeySet;
  /** Issuers accepted. */
  issuers?: readonly string[];
  /** The provider's own rules on an assertion: a reason to refuse it, or nothing. */
  rules?: (assertion: CallerAssertion) => string | undefined;
  /** Where the provider's own access log is appended (JSON lines). */
  accessLog?: string;
  /** Assertions remembered against replay at most (each until it expires). */
  maxRemembered?: number;
}

export type CallerCheck = { ok: true; assertion: CallerAssertion } | { ok: false; status: 401 | 403; code: string; message: string };

const DEFAULT_ISSUERS = [GATEWAY_ISSUER, REGISTRY_ISSUER];
/** The longest an assertion may live: the gateway issues them for one call. */
const MAX_LIFETIME_S = 120;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function assertionOf(payload: JWTPayload): CallerAssertion {
  const rows = payload.rows as { district?: unknown; types?: unknown; coordinates?: unknown } | undefined;
  return {
    issuer: String(payload.iss),
    subject: String(payload.sub ?? ''),
    requestId: typeof payload.rid === 'string' ? payload.rid : null,
    department: typeof payload.dept === 'string' ? payload.dept : null,
    purpose: typeof payload.purpose === 'string' ? payload.purpose : null,
    grants: strings(payload.grants),
    coordinates: strings(payload.coords),
    rows: rows && typeof rows.district === 'string' ? { district: rows.district, types: strings(rows.types), coordinates: strings(rows.coordinates) } : null,
  };
}

export function callerVerifier(provider: string, trust: CallerTrust) {
  const keys = createLocalJWKSet(trust.keys);
  const issuers = [...(trust.issuers ?? DEFAULT_ISSUERS)];
  const seen = new LRUCache<string, true>({ max: trust.maxRemembered ?? 100_000, ttlAutopurge: false });
  let log: WriteStream | undefined;
  if (trust.accessLog) {
    mkdirSync(dirname(trust.accessLog), { recursive: true });
    log = createWriteStream(trust.accessLog, { flags: 'a' });
  }
  const record = (entry: Record<string, unknown>) => log?.write(`${JSON.stringify({ at: new Date().toISOString(), provider, ...entry })}\n`);

  async function verify(header: string | string[] | undefined): Promise<CallerCheck> {
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      record({ outcome: 'refused', reason: 'unsigned' });
      return { ok: false, status: 401, code: 'UNAUTHENTICATED_CALLER', message: `Provider "${provider}" answers signed calls only (${ASSERTION_HEADER}).` };
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: issuers, audience: provider, algorithms: ['EdDSA'], requiredClaims: ['exp', 'iat', 'jti', 'sub'], maxTokenAge: MAX_LIFETIME_S, clockTolerance: 5 }));
    } catch (error) {
      const reason = (error as { code?: string }).code ?? 'invalid';
      record({ outcome: 'refused', reason });
      return { ok: false, status: 401, code: 'UNAUTHENTICATED_CALLER', message: `Provider "${provider}" refused the call's assertion (${reason}).` };
    }
    const jti = payload.jti!;
    if (seen.has(jti)) {
      record({ outcome: 'refused', reason: 'replayed', jti });
      return { ok: false, status: 401, code: 'UNAUTHENTICATED_CALLER', message: `Provider "${provider}" refused a replayed assertion.` };
    }
    // Remembered until it expires: past that, the lifetime check refuses it anyway.
    seen.set(jti, true, { ttl: Math.max(1, payload.exp! * 1000 - Date.now() + 5_000) });
    const assertion = assertionOf(payload);
    const refusal = trust.rules?.(assertion);
    record({ outcome: refusal ? 'refused' : 'accepted', ...(refusal ? { reason: refusal } : {}), jti, ...assertion });
    if (refusal) return { ok: false, status: 403, code: 'CALLER_REFUSED', message: `Provider "${provider}" refused the call: ${refusal}` };
    return { ok: true, assertion };
  }
  return Object.assign(verify, { close: () => new Promise<void>((resolve) => (log ? log.end(() => resolve()) : resolve())) });
}

export type CallerVerifier = ReturnType<typeof callerVerifier>;

/**
 * The district a provider must keep a type's records to on this call, or null: the call asks for
 * a coordinate that a district-limited grant covers (row scope at the source; the gateway's own
 * row rule stays as the second line).
 */
export function rowDistrict(caller: CallerAssertion | undefined, type: string): string | null {
  const rows = caller?.rows;
  if (!rows || !rows.types.includes(type)) return null;
  return caller.coordinates.some((c) => rows.coordinates.includes(c)) ? rows.district : null;
}
