export * from './label/index.ts';
export type { DirectiveSpec } from './spec.ts';
export { linkedSpecs, SPECS, withSpecDefinitions } from './with-spec-definitions.ts';
