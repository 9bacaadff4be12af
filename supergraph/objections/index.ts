export { createObjectionService, type ObjectionInput, type ObjectionService } from './objection-service.ts';
export { openObjectionStore, type Objection, type ObjectionStatus, type ObjectionStore } from './objection-store.ts';
