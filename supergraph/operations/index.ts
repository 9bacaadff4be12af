export { documentHash, openOperationStore, type OperationStore, type RegisteredOperation } from './operation-store.ts';
