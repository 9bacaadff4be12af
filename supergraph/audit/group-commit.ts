// Records of requests answered in the same turn of the event loop are written together: one
// transaction and one flush to disk for all of them, and every response still waits until its
// own record is durable.

import type { AccessRecord, AuditLog } from './audit-log.ts';

export type RecordAccess = (record: AccessRecord) => Promise<void>;

export function groupCommit(audit: AuditLog): RecordAccess {
  let pending: { record: AccessRecord; done: () => void; failed: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      audit.appendAll(batch.map((p) => p.record));
      for (const p of batch) p.done();
    } catch (error) {
      for (const p of batch) p.failed(error);
    }
  };
  return (record) =>
    new Promise<void>((done, failed) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ record, done, failed });
    });
}
