import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import { ERRORS, type ErrorCode } from './catalogue.ts';

/** A GraphQL error carrying a catalogued code and its hint. */
export function codedError(code: ErrorCode, message: string, options: GraphQLErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    ...options,
    extensions: { code, hint: ERRORS[code].hint, ...options.extensions },
  });
}
