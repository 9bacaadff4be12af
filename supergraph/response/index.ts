export { askRuntimeType } from './ask-runtime-type.ts';
export { entityKey, entityKeyIn, KEY_ALIAS } from './entity-key.ts';
export { INTERNAL_ALIAS_PREFIX, TYPE_ALIAS, walkResponse, type VisitedValue } from './walk-response.ts';
