export { documentHash, openSqliteOperationStore, type OperationStore, type RegisteredOperation } from './operation-store.ts';
export { openPostgresOperationStore } from './postgres-operation-store.ts';
