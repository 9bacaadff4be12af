export { openAuditLog, recordHash, type AccessRecord, type AuditLog, type ChainCheck, type ChainLink, type ChainProblem, type StoredRecord } from './audit-log.ts';
export { groupCommit, type RecordAccess } from './group-commit.ts';
export { returnedCoordinates, type Returned } from './returned-coordinates.ts';
export { archive, archiveDirOf, pruneSegments, runRetention, scheduleRetention, segmentFile, verifyArchive } from './retention.ts';
export type { ArchiveCheck, ArchiveOptions, ArchiveResult, RetentionPolicy, RetentionReport, Segment } from './retention.ts';
