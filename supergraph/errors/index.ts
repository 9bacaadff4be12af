export { ERRORS, type ErrorCode, type ErrorSpec } from './catalogue.ts';
export { codedError, errorBody, formattedError } from './graphql-error.ts';
export { documentErrorCode } from './document-error-code.ts';
