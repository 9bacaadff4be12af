// The audit trail's writer, on its own thread: each batch of records is one transaction with a
// full flush to disk, and the gateway's event loop keeps serving while the disk works.

import { parentPort, workerData } from 'node:worker_threads';
import { openAuditLog, SealFailed, type AccessRecord, type AuditLogOptions } from './audit-log.ts';

// The signing key comes along (a KeyObject crosses threads): every so many records this thread signs the checkpoint.
const { file, options } = workerData as { file: string; options: AuditLogOptions };
const log = openAuditLog(file, options);
parentPort!.on('message', ({ id, records }: { id: number; records: AccessRecord[] }) => {
  try {
    log.appendAll(records);
    parentPort!.postMessage({ id });
  } catch (error) {
    // Written, then the checkpoint failed: where the records went, so their withheld answers can be compensated.
    parentPort!.postMessage({ id, error: (error as Error).message, ...(error instanceof SealFailed ? { written: error.written } : {}) });
  }
});
