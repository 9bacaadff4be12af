// The audit trail's writer, on its own thread: each batch of records is one transaction with a
// full flush to disk, and the gateway's event loop keeps serving while the disk works.

import { parentPort, workerData } from 'node:worker_threads';
import { openAuditLog, type AccessRecord } from './audit-log.ts';

const log = openAuditLog((workerData as { file: string }).file);
parentPort!.on('message', ({ id, records }: { id: number; records: AccessRecord[] }) => {
  try {
    log.appendAll(records);
    parentPort!.postMessage({ id });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
