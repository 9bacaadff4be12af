// Records are written in batches: everything answered while one batch is being written goes
// into the next, as one transaction with one flush to disk. A trail kept in a file is written
// by a worker thread, so the flush never stalls the gateway; every response still waits until
// its own record is durable.

import { Worker } from 'node:worker_threads';
import { SealFailed, type AccessRecord, type AuditLog, type AuditLogOptions } from './audit-log.ts';
import type { ChainLink } from './chain.ts';

export interface RecordAccess {
  (record: AccessRecord): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  record: AccessRecord;
  done: () => void;
  failed: (error: Error) => void;
}

type Write = (records: AccessRecord[]) => Promise<void>;

function workerWriter(file: string, options: AuditLogOptions): { write: Write; close: () => Promise<void> } {
  const url = new URL(import.meta.url.endsWith('.ts') ? './append-worker.ts' : './append-worker.js', import.meta.url);
  // TypeScript sources run through tsx's loader, registered in the worker's own thread. Resolved
  // here: an eval'd worker resolves a bare name from the working directory, which may be anywhere.
  const boot = url.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`
    : `import(${JSON.stringify(url.href)})`;
  const worker = new Worker(boot, { eval: true, workerData: { file, options } });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let next = 0;
  worker.on('message', ({ id, error, written }: { id: number; error?: string; written?: ChainLink[] }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (error) w?.reject(written ? new SealFailed(written, new Error(error)) : new Error(`The audit trail could not be written: ${error}`));
    else w?.resolve();
  });
  // Once the writer is gone, every write waiting and every later one fails at once: none may hang.
  let stopped: Error | undefined;
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('error', (error) => failAll(new Error(`The audit writer failed: ${error.message}; no record is confirmed until the gateway restarts.`)));
  worker.on('exit', (code) => failAll(new Error(`The audit writer stopped (exit code ${code}); no record is confirmed until the gateway restarts.`)));
  return {
    write: (records) =>
      new Promise<void>((resolve, reject) => {
        if (stopped) return reject(stopped);
        const id = next++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, records });
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

/** `written`: told where each record of a failed batch went when it was written all the same (the checkpoint after it failed). */
export function groupCommit(audit: AuditLog, written: (record: AccessRecord, link: ChainLink) => void = () => undefined): RecordAccess {
  const writer: { write: Write; close: () => Promise<void> } =
    audit.file === ':memory:'
      ? { write: async (records) => void audit.appendAll(records), close: async () => {} }
      : workerWriter(audit.file, audit.options);
  let queue: Pending[] = [];
  let writing = false;

  // One writer loop at a time: it is started with the first record and runs until the queue is empty.
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await writer.write(batch.map((p) => p.record));
        for (const p of batch) p.done();
      } catch (error) {
        if (error instanceof SealFailed) batch.forEach((p, i) => written(p.record, error.written[i]!));
        for (const p of batch) p.failed(error as Error);
      }
    }
    writing = false;
  };

  const record = (access: AccessRecord) =>
    new Promise<void>((done, failed) => {
      queue.push({ record: access, done, failed });
      if (!writing) {
        writing = true;
        setImmediate(() => void drain());
      }
    });
  return Object.assign(record, { close: () => writer.close() });
}
