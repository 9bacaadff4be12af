// Which records the operator's signature alone covers: those after the newest checkpoint a
// provider countersigned (countersignatures.ts). Whoever holds the audit key could have appended,
// changed or cut them and signed again; verification names them rather than calling them vouched for.

import type { Checkpoint } from './checkpoint.ts';
import type { ReplicaCheckpoint } from './replica-chains.ts';

export interface OperatorOnlyRange {
  /** The replica's chain, on the shared trail. */
  replica?: string;
  from: number;
  to: number;
}

export interface OperatorOnly {
  records: number;
  ranges: OperatorOnlyRange[];
}

/** Records after `countersigned` up to `last`, chain by chain. */
export function operatorOnly(chains: readonly { replica?: string; countersigned: number; last: number }[]): OperatorOnly {
  const ranges = chains.filter((c) => c.last > c.countersigned).map(({ replica, countersigned, last }) => ({ ...(replica !== undefined ? { replica } : {}), from: countersigned + 1, to: last }));
  return { records: ranges.reduce((sum, r) => sum + r.to - r.from + 1, 0), ranges };
}

/** One trail's chain, whose records up to the countersigned head's access seq are vouched for. */
export const singleChainOperatorOnly = (head: Checkpoint | undefined, last: number) => operatorOnly([{ countersigned: head?.access.seq ?? 0, last }]);

/** Every replica's chain, each vouched for up to its head in the countersigned checkpoint. */
export const replicaOperatorOnly = (head: ReplicaCheckpoint | undefined, chains: readonly { replica: string; head: { seq: number } }[]) =>
  operatorOnly(chains.map((c) => ({ replica: c.replica, countersigned: head?.heads.find((h) => h.replica === c.replica)?.seq ?? 0, last: c.head.seq })));
