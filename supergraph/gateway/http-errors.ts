// Maps everything that can go wrong at the /graphql edge to a catalogued code and the status
// GraphQL-over-HTTP asks for. Request errors (no execution happened) carry no `data` entry.

import type { GraphQLFormattedError } from 'graphql';
import { formattedError } from '../errors/index.ts';

export interface EdgeError {
  status: number;
  body: { errors: GraphQLFormattedError[] };
  headers?: Record<string, string>;
}



interface FastifyishError {
  code?: string;
  statusCode?: number;
  message: string;
  /** Set by the fair-use stage's rate limit. */
  retryAfterS?: number;
}

/** Request body types a GraphQL POST may use. */
export function isGraphQLRequestBody(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql';
}

export function unsupportedMediaType(): EdgeError {
  return reply(415, formattedError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type for a GraphQL request.'));
}

/** What Fastify itself refuses before the GraphQL stages run (the body), and anything unexpected. */
export function edgeError(error: FastifyishError): EdgeError {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType();
    case 'JG_RATE_LIMITED':
      return { ...reply(429, formattedError('RATE_LIMITED', error.message, { retryAfterSeconds: error.retryAfterS })), headers: { 'retry-after': String(error.retryAfterS ?? 60) } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply(413, formattedError('PAYLOAD_TOO_LARGE', 'The request body is larger than the gateway accepts.'));
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply(400, formattedError('BAD_REQUEST', `The request body is not valid JSON: ${error.message}`));
    default:
      if (error instanceof SyntaxError || (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)) {
        return reply(400, formattedError('BAD_REQUEST', `Malformed request: ${error.message}`));
      }
      return reply(500, formattedError('INTERNAL_SERVER_ERROR', 'The gateway failed to process the request.'));
  }
}

function reply(status: number, error: GraphQLFormattedError): EdgeError {
  return { status, body: { errors: [error] } };
}
