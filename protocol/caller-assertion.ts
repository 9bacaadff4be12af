// The header a provider reads who asks from: a JWT the gateway signs for every call (see
// supergraph/execution/caller-assertion.ts, which signs, and subgraphs/kit/caller-trust.ts, which verifies).
// An assertion is bound to the call it rides on: its method, URL and the digest of its exact body
// (RFC 9530's Content-Digest, in the DPoP claims' style), so it cannot be carried with another query.

import { createHash } from 'node:crypto';

export const ASSERTION_HEADER = 'x-jointgraph-assertion';

/** Issuers: the gateway on a requester's behalf, and the operator's registry tooling (composition). */
export const GATEWAY_ISSUER = 'jointgraph-gateway';
export const REGISTRY_ISSUER = 'jointgraph-registry';

/** Where a provider countersigns the operator's audit checkpoints (the gateway's assertion required). */
export const COUNTERSIGN_PATH = '/jointgraph/countersign';

/** The call an assertion is signed for. */
export interface BoundCall {
  method: string;
  /** The absolute URL the caller sends the call to. */
  url: string;
  /** The exact bytes of the request body ('' for none). */
  body: string | Uint8Array;
}

/** The claims that bind an assertion to its call: `htm`, `htu` (as in RFC 9449) and `cdg`, the body's Content-Digest. */
export interface CallBindingClaims {
  htm: string;
  htu: string;
  cdg: string;
}

/** RFC 9530 Content-Digest of a body: `sha-256=:<base64>:`. */
export function contentDigest(body: string | Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/** A URL as both sides compare it: scheme, host and port, path and query; no fragment. */
export function normalisedUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

export function bindingClaims(call: BoundCall): CallBindingClaims {
  return { htm: call.method.toUpperCase(), htu: normalisedUrl(call.url), cdg: contentDigest(call.body) };
}
