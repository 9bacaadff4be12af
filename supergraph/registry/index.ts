export { breakingChanges, type BreakingChange, type FieldUse, type UsageSource } from './breaking-changes.ts';
export { openSqliteRegistryStore, type RegistryStore, type SubgraphVersion, type VersionStatus } from './registry-store.ts';
export { schemaDiff, type SchemaDiff } from './schema-diff.ts';
export { createSchemaRegistry, type Apply, type Publication, type PublishInput, type Refusal, type RegistryOptions, type SchemaRegistry } from './schema-registry.ts';
export { openPostgresRegistryStore } from './postgres-registry-store.ts';
