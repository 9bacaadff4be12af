// A provider verifies who asks. Every call carries a short-lived assertion signed by the
// gateway (or by the operator's registry tooling): a JWT (EdDSA) in `x-jointgraph-assertion`
// naming the request, the app, its department and purpose, the grants in force, the
// coordinates asked of this provider and the row scope, bound to the call's method, URL and body
// digest. The provider checks it in two steps: before the body is read, the signature against the
// keys it trusts, the audience (itself) and the lifetime; with the body, that the assertion was
// signed for this very call (method, URL, Content-Digest of the bytes received, and no coordinate
// asked that it does not name), that it was never used before (remembered across restarts), and
// its own rules. It keeps its own access log. Refused calls are answered 401/403 before any
// resolver runs, `_service` and introspection included. The protocol: docs/provider-protocol.md.

import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

import { ASSERTION_HEADER, GATEWAY_ISSUER, normalisedUrl, REGISTRY_ISSUER } from '../../protocol/index.ts';
import { memoryReplayGuard, openReplayGuard, type ReplayGuard } from './replay-guard.ts';

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
  /** Where the ids of accepted assertions are kept against replay (SQLite); in memory without it, forgotten on restart. */
  replayFile?: string;
  /** The origin callers address this provider by (`https://tax.example.gov`), when a proxy in front changes the Host; by default the request's own. */
  origin?: string;
}

export type Refusal = { ok: false; status: 401 | 403; code: string; message: string };
export type CallerCheck = { ok: true; assertion: CallerAssertion } | Refusal;

/** What the provider received: checked against what the assertion was signed for. */
export interface ReceivedCall {
  method: string;
  /** The request's path and query, as received. */
  path: string;
  /** The Host it was addressed to, when no origin is configured. */
  host: string | undefined;
  protocol: string;
  /** RFC 9530 Content-Digest of the bytes received. */
  digest: string;
  /** The coordinates the call's query asks of this provider (recomputed here), or null when it carries no query. */
  asked: readonly string[] | null;
}

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
  const replay: ReplayGuard = trust.replayFile ? openReplayGuard(trust.replayFile) : memoryReplayGuard();
  let log: WriteStream | undefined;
  if (trust.accessLog) {
    mkdirSync(dirname(trust.accessLog), { recursive: true });
    log = createWriteStream(trust.accessLog, { flags: 'a' });
  }
  const record = (entry: Record<string, unknown>) => log?.write(`${JSON.stringify({ at: new Date().toISOString(), provider, ...entry })}\n`);
  const refuse = (reason: string, message: string, extra: Record<string, unknown> = {}): Refusal => {
    record({ outcome: 'refused', reason, ...extra });
    return { ok: false, status: 401, code: 'UNAUTHENTICATED_CALLER', message: `Provider "${provider}" ${message}` };
  };

  /** Before the body is read: a signed, live assertion for this provider, or a refusal. */
  async function authenticate(header: string | string[] | undefined): Promise<{ ok: true; payload: JWTPayload } | Refusal> {
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) return refuse('unsigned', `answers signed calls only (${ASSERTION_HEADER}).`);
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: issuers, audience: provider, algorithms: ['EdDSA'], requiredClaims: ['exp', 'iat', 'jti', 'sub', 'htm', 'htu', 'cdg'], maxTokenAge: MAX_LIFETIME_S, clockTolerance: 5 });
      return { ok: true, payload };
    } catch (error) {
      const reason = (error as { code?: string }).code ?? 'invalid';
      return refuse(reason, `refused the call's assertion (${reason}).`);
    }
  }

  /** With the body: the assertion was signed for this call, is used once, and the provider's rules accept it. */
  function admit(payload: JWTPayload, call: ReceivedCall): CallerCheck {
    const jti = payload.jti!;
    const mismatch = bindingMismatch(payload, call, trust.origin);
    if (mismatch) return refuse('call-mismatch', `refused an assertion signed for another call (${mismatch}).`, { jti });
    const named = new Set(strings(payload.coords));
    const unnamed = call.asked?.filter((c) => !named.has(c)) ?? [];
    if (unnamed.length > 0) return refuse('call-mismatch', `refused a query for coordinates its assertion does not name (${unnamed.join(', ')}).`, { jti });
    if (!replay.claim(jti, payload.exp! * 1000 + 5_000)) return refuse('replayed', 'refused a replayed assertion.', { jti });
    // Row scope follows what the query asks, recomputed here, not what the assertion claims.
    const assertion = { ...assertionOf(payload), ...(call.asked ? { coordinates: [...call.asked] } : {}) };
    const refusal = trust.rules?.(assertion);
    record({ outcome: refusal ? 'refused' : 'accepted', ...(refusal ? { reason: refusal } : {}), jti, ...assertion });
    if (refusal) return { ok: false, status: 403, code: 'CALLER_REFUSED', message: `Provider "${provider}" refused the call: ${refusal}` };
    return { ok: true, assertion };
  }

  const close = () =>
    new Promise<void>((resolve) => {
      replay.close();
      if (log) log.end(() => resolve());
      else resolve();
    });
  return { authenticate, admit, close };
}

/** Why a call is not the one its assertion was signed for, or nothing. */
function bindingMismatch(payload: JWTPayload, call: ReceivedCall, origin: string | undefined): string | undefined {
  if (payload.htm !== call.method.toUpperCase()) return `method ${call.method}, signed for ${String(payload.htm)}`;
  let received: string;
  try {
    received = normalisedUrl(`${origin ?? `${call.protocol}://${call.host ?? ''}`}${call.path}`);
  } catch {
    return 'a URL that does not parse';
  }
  if (payload.htu !== received) return `URL ${received}, signed for ${String(payload.htu)}`;
  if (payload.cdg !== call.digest) return 'a body whose digest differs from the signed one';
  return undefined;
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

/** The district one field's values are kept to on this call (a district-limited grant covers it), or null. */
export function fieldDistrict(caller: CallerAssertion | undefined, coordinate: string): string | null {
  const rows = caller?.rows;
  if (!rows || !rows.coordinates.includes(coordinate)) return null;
  return rows.types.includes(coordinate.slice(0, coordinate.indexOf('.'))) ? rows.district : null;
}
