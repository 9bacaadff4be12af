export { ERRORS, type ErrorCode, type ErrorSpec } from './catalogue.ts';
export { codedError } from './graphql-error.ts';
