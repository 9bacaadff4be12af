export { LIMITS_SPEC } from './limits-spec.ts';
export { readPageSizes, type PageSize } from './read-page-sizes.ts';
