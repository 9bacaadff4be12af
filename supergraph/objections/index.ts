export { createObjectionService, type ObjectionInput, type ObjectionService } from './objection-service.ts';
export { openSqliteObjectionStore, type Objection, type ObjectionStatus, type ObjectionStore } from './objection-store.ts';
export { openPostgresObjectionStore } from './postgres-objection-store.ts';
