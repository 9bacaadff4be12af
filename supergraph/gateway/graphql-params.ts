// Reads the GraphQL-over-HTTP request parameters (query, variables, operationName, extensions,
// and a persisted document's hash: Apollo's `extensions.persistedQuery` or `documentId`) from a
// GET query string or a POST body, and says precisely what is wrong when they are not usable.
// Nothing here touches the document itself.

import type { FastifyRequest } from 'fastify';

export interface GraphQLParams {
  /** The document; absent when only its hash was sent. */
  query: string | null;
  /** The hex SHA-256 of a persisted document, when the request names one. */
  documentHash: string | null;
  variables: Record<string, unknown> | undefined;
  operationName: string | null;
  extensions: Record<string, unknown> | undefined;
}

export type ParamsResult = { ok: true; params: GraphQLParams } | { ok: false; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** GET parameters arrive as strings: variables and extensions are JSON in them. */
function fromQueryString(value: unknown, name: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (value === undefined || value === '') return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: false, message: `"${name}" is given more than once.` };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false, message: `"${name}" is not valid JSON.` };
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The hash a request names, if any: `extensions.persistedQuery.sha256Hash` (version 1) or `documentId` ("sha256:…"). */
function persistedHash(raw: Record<string, unknown>): string | undefined | { ok: false; message: string } {
  const persisted = isObject(raw.extensions) ? raw.extensions.persistedQuery : undefined;
  if (persisted !== undefined) {
    if (!isObject(persisted) || persisted.version !== 1 || typeof persisted.sha256Hash !== 'string' || !SHA256_HEX.test(persisted.sha256Hash.toLowerCase())) {
      return { ok: false, message: '"extensions.persistedQuery" must be {"version": 1, "sha256Hash": "<64 hex digits>"}.' };
    }
    return persisted.sha256Hash.toLowerCase();
  }
  if (raw.documentId === undefined || raw.documentId === null || raw.documentId === '') return undefined;
  const id = typeof raw.documentId === 'string' ? raw.documentId.toLowerCase().replace(/^sha256:/, '') : '';
  if (!SHA256_HEX.test(id)) return { ok: false, message: '"documentId" must be "sha256:<64 hex digits>".' };
  return id;
}

export function readGraphQLParams(request: FastifyRequest): ParamsResult {
  let raw: Record<string, unknown>;
  if (request.method === 'GET' || request.method === 'HEAD') {
    const query = request.query as Record<string, unknown>;
    const variables = fromQueryString(query.variables, 'variables');
    if (!variables.ok) return variables;
    const extensions = fromQueryString(query.extensions, 'extensions');
    if (!extensions.ok) return extensions;
    raw = { query: query.query, operationName: query.operationName, variables: variables.value, extensions: extensions.value, documentId: query.documentId };
  } else if (typeof request.body === 'string' && request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/graphql') {
    // application/graphql: the body is the document (a JSON string is no request).
    raw = { query: request.body, ...(isObject(request.query) ? { operationName: (request.query as { operationName?: unknown }).operationName } : {}) };
  } else if (Array.isArray(request.body)) {
    return { ok: false, message: 'Batched requests (a JSON array) are not supported: send one operation per request.' };
  } else if (!isObject(request.body)) {
    return { ok: false, message: 'The body must be a JSON object.' };
  } else {
    raw = request.body;
  }
  if (raw.extensions !== undefined && raw.extensions !== null && !isObject(raw.extensions)) return { ok: false, message: '"extensions" must be an object (or absent).' };
  const hash = persistedHash(raw);
  if (typeof hash === 'object') return hash;
  const noQuery = raw.query === undefined || raw.query === null || raw.query === '';
  if (noQuery && !hash) return { ok: false, message: 'The request has no "query".' };
  if (!noQuery && typeof raw.query !== 'string') return { ok: false, message: '"query" must be a string holding a GraphQL document.' };
  if (raw.variables !== undefined && raw.variables !== null && !isObject(raw.variables)) return { ok: false, message: '"variables" must be an object (or absent).' };
  if (raw.operationName !== undefined && raw.operationName !== null && typeof raw.operationName !== 'string') {
    return { ok: false, message: '"operationName" must be a string (or absent).' };
  }
  return {
    ok: true,
    params: {
      query: noQuery ? null : (raw.query as string),
      documentHash: hash ?? null,
      variables: (raw.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: (raw.operationName || null) as string | null,
      extensions: (raw.extensions ?? undefined) as Record<string, unknown> | undefined,
    },
  };
}
