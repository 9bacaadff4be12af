export { INTERNAL_ALIAS_PREFIX, walkResponse, type VisitedValue } from './walk-response.ts';
