export { documentHash, openSqliteOperationStore, type OperationStore, type RegisteredOperation } from './operation-store.ts';
