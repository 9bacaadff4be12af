// Maps everything that can go wrong at the /graphql edge to a catalogued code and the status
// GraphQL-over-HTTP asks for. Request errors (no execution happened) carry no `data` entry.

import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERRORS, type ErrorCode } from '../errors/index.ts';
import { GRAPHQL_RESPONSE, type GraphQLMediaType } from './media-type.ts';

export interface EdgeError {
  status: number;
  body: { errors: GraphQLFormattedError[] };
  headers?: Record<string, string>;
}

function formatted(code: ErrorCode, message: string, extra?: Partial<GraphQLFormattedError>): GraphQLFormattedError {
  return { message, ...extra, extensions: { code, hint: ERRORS[code].hint, ...extra?.extensions } };
}

/** Classifies one GraphQL error produced before execution (parse, validation, variables). */
export function documentErrorCode(error: { message: string }): ErrorCode {
  if (error.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) return 'BAD_USER_INPUT';
  if (/^Unknown operation named|^Must provide operation name/.test(error.message)) return 'OPERATION_NOT_FOUND';
  return 'GRAPHQL_VALIDATION_FAILED';
}

interface FastifyishError {
  code?: string;
  statusCode?: number;
  message: string;
  errors?: unknown[];
  /** Set by Fastify when the request failed the route's JSON schema (e.g. `query` not a string). */
  validation?: unknown[];
  /** Set by the reject mode of the authorization stage: every denied path. */
  denied?: unknown[];
}

/** Request body types a GraphQL POST may use. */
export function isGraphQLRequestBody(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql';
}

export function unsupportedMediaType(): EdgeError {
  return reply(415, formatted('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type for a GraphQL request.'));
}

export function edgeError(error: FastifyishError, mediaType: GraphQLMediaType): EdgeError {
  // A well-formed request whose document is rejected: 400 for graphql-response+json, 200 for legacy JSON.
  const documentStatus = mediaType === GRAPHQL_RESPONSE ? 400 : 200;
  if (error.validation) return reply(400, formatted('BAD_REQUEST', `Malformed GraphQL request: ${error.message}`));
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply(413, formatted('PAYLOAD_TOO_LARGE', 'The request body is larger than the gateway accepts.'));
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply(400, formatted('BAD_REQUEST', `The request body is not valid JSON: ${error.message}`));
    case 'JG_OPERATION_REJECTED':
      return reply(403, formatted('OPERATION_REJECTED', error.message, { extensions: { denied: error.denied ?? [] } }));
    case 'MER_ERR_METHOD_NOT_ALLOWED':
      return { ...reply(405, formatted('METHOD_NOT_ALLOWED', 'Only queries may be sent with GET.')), headers: { allow: 'POST' } };
    case 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND':
      return reply(400, formatted('BAD_REQUEST', 'The request has no "query".'));
    case 'MER_ERR_GQL_VALIDATION': {
      if (!Array.isArray(error.errors)) {
        return reply(400, formatted('BAD_REQUEST', `Malformed request parameter: ${error.message}`));
      }
      const errors = error.errors.map((e) => {
        const g = e instanceof GraphQLError ? e : new GraphQLError(String((e as Error)?.message ?? e));
        const json = g.toJSON();
        return formatted(documentErrorCode(g), g.message, { ...(json.locations ? { locations: json.locations } : {}) });
      });
      return { status: documentStatus, body: { errors } };
    }
    default:
      if (error instanceof SyntaxError || error.statusCode === 400) {
        return reply(400, formatted('BAD_REQUEST', `Malformed request: ${error.message}`));
      }
      return reply(500, formatted('INTERNAL_SERVER_ERROR', 'The gateway failed to process the request.'));
  }
}

function reply(status: number, error: GraphQLFormattedError): EdgeError {
  return { status, body: { errors: [error] } };
}
