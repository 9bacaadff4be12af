export { breakingChanges, type BreakingChange } from './breaking-changes.ts';
export type { FieldUse, UsageSource } from './field-use.ts';
export type { OwnershipChange, ReportedOwnershipChange } from './ownership-changes.ts';
export { openRegistryStore, type PublicationDecision, type RegistryStore, type SubgraphVersion, type VersionStatus } from './registry-store.ts';
export type { PublicationLabels } from './publisher-label-report.ts';
export { schemaDiff, type SchemaDiff } from './schema-diff.ts';
export { createSchemaRegistry, type Actor, type Apply, type Publication, type PublishInput, type Refusal, type RegistryOptions, type SchemaRegistry } from './schema-registry.ts';
