// The harness's side of the load driver: one long-lived process (so no start-up cost per
// measurement), sent one LoadSpec at a time, each bounded by a hard deadline.

import { join } from 'node:path';
import type { LoadResult, LoadSpec } from '../load/load-spec.ts';
import { spawnChild, TSX } from '../measure/child.ts';

export interface Driver {
  pid: number;
  run(spec: LoadSpec): Promise<LoadResult>;
  stop(): Promise<void>;
}

export async function startDriver(dir: string, cpu: number | undefined): Promise<Driver> {
  const entry = new URL('../load/drive.ts', import.meta.url).pathname;
  const child = await spawnChild<object>(process.execPath, [...TSX, entry], { cpu, logFile: join(dir, 'driver.log'), ipc: true });
  let next = 0;
  return {
    pid: child.pid,
    run(spec) {
      const id = ++next;
      // autocannon stops itself at durationS; this only catches a driver that hangs.
      const deadlineMs = (spec.durationS + spec.timeoutS + 30) * 1000;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.process.off('message', onMessage);
          reject(new Error(`load driver gave no result within ${deadlineMs} ms`));
        }, deadlineMs);
        const onMessage = (message: { id: number; result?: LoadResult; error?: string }) => {
          if (message.id !== id) return;
          clearTimeout(timer);
          child.process.off('message', onMessage);
          if (message.result) resolve(message.result);
          else reject(new Error(`load driver: ${message.error}`));
        };
        child.process.on('message', onMessage);
        child.process.send({ id, spec });
      });
    },
    stop: child.stop,
  };
}
