export { ERRORS, hintFor, type ErrorCode, type ErrorSpec } from './catalogue.ts';
export { codedError } from './graphql-error.ts';
