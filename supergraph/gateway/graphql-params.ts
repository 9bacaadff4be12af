// Reads the GraphQL-over-HTTP request parameters (query, variables, operationName, extensions)
// from a GET query string or a POST body, and says precisely what is wrong when they are not
// usable. Nothing here touches the document itself.

import type { FastifyRequest } from 'fastify';

export interface GraphQLParams {
  query: string;
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

export function readGraphQLParams(request: FastifyRequest): ParamsResult {
  let raw: Record<string, unknown>;
  if (request.method === 'GET' || request.method === 'HEAD') {
    const query = request.query as Record<string, unknown>;
    const variables = fromQueryString(query.variables, 'variables');
    if (!variables.ok) return variables;
    const extensions = fromQueryString(query.extensions, 'extensions');
    if (!extensions.ok) return extensions;
    raw = { query: query.query, operationName: query.operationName, variables: variables.value, extensions: extensions.value };
  } else if (typeof request.body === 'string') {
    // application/graphql: the body is the document.
    raw = { query: request.body, ...(isObject(request.query) ? { operationName: (request.query as { operationName?: unknown }).operationName } : {}) };
  } else if (Array.isArray(request.body)) {
    return { ok: false, message: 'Batched requests (a JSON array) are not supported: send one operation per request.' };
  } else if (!isObject(request.body)) {
    return { ok: false, message: 'The body must be a JSON object.' };
  } else {
    raw = request.body;
  }
  if (raw.query === undefined || raw.query === null || raw.query === '') return { ok: false, message: 'The request has no "query".' };
  if (typeof raw.query !== 'string') return { ok: false, message: '"query" must be a string holding a GraphQL document.' };
  if (raw.variables !== undefined && raw.variables !== null && !isObject(raw.variables)) return { ok: false, message: '"variables" must be an object (or absent).' };
  if (raw.extensions !== undefined && raw.extensions !== null && !isObject(raw.extensions)) return { ok: false, message: '"extensions" must be an object (or absent).' };
  if (raw.operationName !== undefined && raw.operationName !== null && typeof raw.operationName !== 'string') {
    return { ok: false, message: '"operationName" must be a string (or absent).' };
  }
  return {
    ok: true,
    params: {
      query: raw.query,
      variables: (raw.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: (raw.operationName || null) as string | null,
      extensions: (raw.extensions ?? undefined) as Record<string, unknown> | undefined,
    },
  };
}
