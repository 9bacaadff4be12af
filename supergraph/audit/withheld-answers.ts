// An answer withheld after its record was written (the commit confirmed too late, or the
// checkpoint after it failed) must not leave the trail naming its app as the recipient of data it
// never received: a WITHHELD record follows the original in the same chain and names its seq
// (`withholds`); recipients and "who received" leave the original out from then on.

import { WITHHELD, type AccessRecord } from './audit-log.ts';

/** The record that withdraws `original` (at `seq` in the same chain): who, why, the answer's status; nothing returned. */
export function withheldRecord(original: AccessRecord, seq: number, status: number, at = new Date().toISOString()): AccessRecord {
  return {
    at, appId: original.appId, department: original.department, purpose: original.purpose, operationHash: original.operationHash,
    returned: [], denied: [], providers: [], entities: 0, outcome: WITHHELD, status,
    ...(original.requestId !== undefined ? { requestId: original.requestId } : {}),
    withholds: seq,
  };
}

/** A withheld answer whose record is, or may be, on the trail: settled once its WITHHELD record is written (true) or found not needed (false). */
export interface OwedCompensation {
  record: AccessRecord;
  /** Where the record went in the chain when it was sent. */
  link: { seq: number; hash: string };
  status: number;
  settle(written: boolean): void;
  fail(error: Error): void;
}
