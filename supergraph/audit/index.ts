export { openAuditLog, recordHash, type AccessRecord, type AuditLog, type ChainCheck, type StoredRecord } from './audit-log.ts';
export { returnedCoordinates, type Returned } from './returned-coordinates.ts';
