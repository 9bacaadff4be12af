import { GraphQLError, type GraphQLErrorOptions, type GraphQLFormattedError } from 'graphql';
import { ERRORS, type ErrorCode } from './catalogue.ts';

/** A GraphQL error carrying a catalogued code and its hint. */
export function codedError(code: ErrorCode, message: string, options: GraphQLErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    ...options,
    extensions: { code, hint: ERRORS[code].hint, ...options.extensions },
  });
}

/** An error as answers carry it: the catalogued code, its hint, and any further extensions. */
export function formattedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, locations?: GraphQLFormattedError['locations']): GraphQLFormattedError {
  return { message, ...(locations ? { locations } : {}), extensions: { code, hint: ERRORS[code].hint, ...extensions } };
}

/** The body of an answer that carries one error and no data. */
export function errorBody(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): { errors: GraphQLFormattedError[] } {
  return { errors: [formattedError(code, message, extensions)] };
}
