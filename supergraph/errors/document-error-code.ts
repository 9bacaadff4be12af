// The catalogued code of a GraphQL error found before execution (parse, validation, variables),
// by the wording graphql-js gives it: shared by /graphql and /admin/graphql.

import type { ErrorCode } from './catalogue.ts';

/** Classifies one GraphQL error produced before execution (parse, validation, variables). */
export function documentErrorCode(error: { message: string }): ErrorCode {
  if (error.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) return 'BAD_USER_INPUT';
  if (/^Unknown operation named|^Must provide operation name/.test(error.message)) return 'OPERATION_NOT_FOUND';
  return 'GRAPHQL_VALIDATION_FAILED';
}
