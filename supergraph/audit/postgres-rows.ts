// How records and decisions are stored in PostgreSQL's rows, and read back.

import type { Decision, StoredDecision } from './decision-log.ts';
import type { ReplicaRecord } from './replica-chains.ts';

export interface Row {
  replica_id: string; seq: number | string; at: string; app_id: string | null; department: string | null; purpose: string | null; operation_hash: string | null;
  returned: string[]; denied: string[]; providers: string[]; entities: number; outcome: string; status: number; prev_hash: string; hash: string;
  request_id: string | null; value_digests: string[] | null; withholds: number | string | null;
}

/** The row a record is stored as (one JSON object of them per batch). */
export const recordRow = (r: ReplicaRecord): Row => ({
  replica_id: r.replica, seq: r.seq, at: r.at, app_id: r.appId, department: r.department, purpose: r.purpose, operation_hash: r.operationHash,
  returned: r.returned, denied: r.denied, providers: r.providers, entities: r.entities, outcome: r.outcome, status: r.status, prev_hash: r.prevHash, hash: r.hash,
  request_id: r.requestId ?? null, value_digests: r.valueDigests ?? null, withholds: r.withholds ?? null,
});

export const fromRow = (r: Row): ReplicaRecord => ({
  replica: r.replica_id, seq: Number(r.seq), at: r.at, appId: r.app_id, department: r.department, purpose: r.purpose, operationHash: r.operation_hash,
  returned: r.returned, denied: r.denied, providers: r.providers, entities: r.entities, outcome: r.outcome, status: r.status, prevHash: r.prev_hash, hash: r.hash,
  ...(r.request_id !== null ? { requestId: r.request_id } : {}),
  ...(r.value_digests !== null ? { valueDigests: r.value_digests } : {}),
  ...(r.withholds !== null ? { withholds: Number(r.withholds) } : {}),
});

export interface DecisionRow {
  seq: number | string; at: string; who: string; action: string; subject: string; coordinates: string[]; decision: string | null; reason: string | null;
  detail: string | null; prev_hash: string; hash: string; replica_id: string;
}

export const fromDecisionRow = ({ seq, prev_hash, replica_id, action, ...row }: DecisionRow): StoredDecision & { replica: string } =>
  ({ ...row, action: action as Decision['action'], seq: Number(seq), prevHash: prev_hash, replica: replica_id });

/** Rows read at a time when a chain is walked. */
export const PAGE = 5_000;
