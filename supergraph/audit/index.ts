export { openAuditLog, recordHash, type AccessRecord, type AuditLog, type ChainCheck, type StoredRecord } from './audit-log.ts';
export { groupCommit, type RecordAccess } from './group-commit.ts';
export { returnedCoordinates, type Returned } from './returned-coordinates.ts';
