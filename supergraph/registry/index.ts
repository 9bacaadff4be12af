export { breakingChanges, type BreakingChange } from './breaking-changes.ts';
export { fieldUsers, type FieldUse, type FieldUsers, type UsageSource } from './field-use.ts';
export { deciders, ownershipChanges, type OwnershipChange, type ReportedOwnershipChange } from './ownership-changes.ts';
export { openSqliteRegistryStore, type PublicationDecision, type RegistryStore, type SubgraphVersion, type VersionStatus } from './registry-store.ts';
export { schemaDiff, type SchemaDiff } from './schema-diff.ts';
export { createSchemaRegistry, type Actor, type Apply, type Publication, type PublishInput, type Refusal, type RegistryOptions, type SchemaRegistry } from './schema-registry.ts';
export { openPostgresRegistryStore } from './postgres-registry-store.ts';
