export { INTERNAL_ALIAS_PREFIX, TYPE_ALIAS, walkResponse, type VisitedValue } from './walk-response.ts';
