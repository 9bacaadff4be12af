export * from './label/index.ts';
export * from './quality/index.ts';
export * from './limits/index.ts';
export type { DirectiveSpec } from './spec.ts';
export { linkedSpecs, SPECS, withSpecDefinitions } from './with-spec-definitions.ts';
export { isDataType, readDirectiveUsages, type DirectiveUsages } from './read-directive-usages.ts';
