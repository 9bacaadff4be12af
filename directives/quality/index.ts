export { CYCLE_SECONDS, UPDATE_CYCLES, type Quality, type UpdateCycle } from './quality.ts';
export { QUALITY_SPEC } from './quality-spec.ts';
export { qualityOf, readQualityDeclarations, type QualityDeclarations } from './read-quality.ts';
