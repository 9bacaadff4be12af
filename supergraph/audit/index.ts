export {
  BadCursor, postgresAccessTrail, sharedProblem, sqliteAccessTrail, type AccessSearch, type AccessTrail, type AccessTrailCheck, type DecisionTrail, type FoundRecord,
} from './access-trail.ts';
export { withheldRecord } from './withheld-answers.ts';
export { openAuditLog, recordHash, SealFailed, WITHHELD, type AccessRecord, type AuditLog, type AuditSearch, type AuditLogOptions, type ChainCheck, type ChainProblem, type StoredRecord } from './audit-log.ts';
export { GENESIS, type ChainLink } from './chain.ts';
export { readCheckpointExport, writeCheckpointExport, type CheckpointExport } from './checkpoint-export.ts';
export { checkpointBytes, keyId, parseCheckpoint, readCheckpointFile, type Checkpoint, type CheckpointKeys, type Countersignature } from './checkpoint.ts';
export { scheduleCheckpoints, type CheckpointSigning } from './checkpointer.ts';
export { decisionHash, OPERATOR_FILE, type Decision, type DecisionAction, type DecisionLog, type StoredDecision } from './decision-log.ts';
export { grantDecision, keyDecision, objectionDecision } from './decision-events.ts';
export { groupCommit, type RecordAccess } from './group-commit.ts';
export {
  AuditKeyMismatch, AuditTrailUnavailable, openPostgresAuditTrail, ReplicaIdInUse, recordRow, type PostgresAuditTrail, type PostgresAuditTrailOptions, type PostgresChainCheck,
  type PostgresAuditSearch, type SearchCursor,
} from './postgres-audit-trail.ts';
export {
  headsLink, linkRecords, parseReplicaCheckpoint, readReplicaCheckpointCopies, replicaGenesis, replicaSignedHeads, signReplicaCheckpoint,
  type ReplicaCheckpoint, type ReplicaHead, type ReplicaRecord,
} from './replica-chains.ts';
export { valueDigest } from './received-values.ts';
export { returnedCoordinates, type Returned } from './returned-coordinates.ts';
export { archive, archiveDirOf, pruneSegments, runRetention, scheduleRetention, segmentFile, verifyArchive } from './retention.ts';
export type { ArchiveCheck, ArchiveOptions, ArchiveResult, RetentionPolicy, RetentionReport, Segment } from './retention.ts';
export { signedHeads, type SignedHeads } from './signed-heads.ts';
export { replicaOperatorOnly, singleChainOperatorOnly, type OperatorOnly } from './operator-only.ts';
export { auditKeyFileOf, checkpointsFileOf, defaultAuditKeyFile, keyInStateDir, openSigningKey, publicKeyFileOf, publicKeyPem, readPublicKey, type SigningKey } from './signing-key.ts';
export { verifyTrail, type TrailCheck, type TrailSources } from './verify-trail.ts';
export {
  appendCountersignature, countersignaturesFileOf, readCountersignatureEvidence, readCountersignatures, verifyCountersignatures,
  type CountersignatureCheck, type CountersignatureEvidence, type CountersignatureLine, type CountersignatureSources, type CountersignRound,
} from './countersignatures.ts';
