// server.workers: one port served by several gateway processes (node:cluster hands each new
// connection to the next worker). Each worker is a replica of the others, as replicas on several
// machines are: the control plane and the audit trail in PostgreSQL (each worker its own chain,
// `<replicaId>/w<n>`), the fair-use counters and the response cache in Redis. The primary serves
// nothing: it holds the state folder's lock, makes the gateway's signing key once, starts the
// workers, starts again one that dies (after a wait that doubles), and stops them all.

import cluster, { type Worker } from 'node:cluster';
import { hostname } from 'node:os';
import type { Settings } from '../supergraph/config/index.ts';
import { lockStateDir, type InstanceLock } from './instance-lock.ts';
import { restartDelay } from './restart-backoff.ts';
import { gatewaySigningKey, type Serving } from './serve.ts';

/** What a worker tells the primary once it listens. */
interface Ready {
  jointgraph: 'worker-ready';
  url: string;
  subgraphs: string[];
}

const WORKER_INDEX = 'JG_WORKER_INDEX';
/** The serve command a worker runs, as JSON. */
export const SERVE_COMMAND_ENV = 'JG_SERVE_COMMAND';

/** What a worker runs: its entry module, and the serve command it is given. */
export interface WorkerEntry {
  exec: string;
  command: unknown;
}
/** A worker that does not stop within this after SIGTERM is killed. */
const STOP_WAIT_MS = 30_000;

const isReady = (message: unknown): message is Ready => (message as Ready | undefined)?.jointgraph === 'worker-ready';

/** In a worker: its place among the workers, or undefined in any other process. */
export function workerIndex(): number | undefined {
  return cluster.isWorker && process.env[WORKER_INDEX] ? Number(process.env[WORKER_INDEX]) : undefined;
}

/** A worker's settings: its own replica id, so each keeps a chain of its own in the shared trail. */
export function workerSettings(settings: Readonly<Settings>, index: number): Readonly<Settings> {
  return Object.freeze({ ...settings, replicaId: `${settings.replicaId ?? `${hostname()}:${settings.port}`}/w${index}` });
}

/** In a worker, once it serves: tells the primary. */
export function announceWorker(serving: Serving): void {
  process.send?.({ jointgraph: 'worker-ready', url: serving.url, subgraphs: serving.subgraphs } satisfies Ready);
}

/** In the primary: starts `settings.workers` workers and resolves once every one serves; rejects if one exits first. */
export async function serveWorkers(settings: Readonly<Settings>, entry: WorkerEntry, onLockLost: (error: Error) => void, log: (line: string) => void = console.log): Promise<Serving & { pids(): number[] }> {
  cluster.setupPrimary({ exec: entry.exec, args: [] });
  const lock: InstanceLock | undefined = settings.authzMode === 'off' ? undefined : await lockStateDir(settings.stateDir, onLockLost);
  const workers = new Map<number, Worker>();
  let stopping = false;
  try {
    // Made once, here: workers starting at once would each make a key of their own.
    await gatewaySigningKey(settings, log);
    const started = await Promise.all(Array.from({ length: settings.workers }, (_, index) => start(index)));
    return {
      ...started[0]!,
      authorization: settings.authzMode !== 'off',
      pids: () => [...workers.values()].map((w) => w.process.pid!),
      async close() {
        stopping = true;
        await Promise.all([...workers.values()].map(stopWorker));
        await lock?.release().catch(() => undefined);
      },
    };
  } catch (error) {
    stopping = true;
    await Promise.all([...workers.values()].map(stopWorker));
    await lock?.release().catch(() => undefined);
    throw error;
  }

  /** Forks worker `index`; resolves once it serves. At start, one exiting first fails the start; later, each exit is followed by another try, sooner or later. */
  function start(index: number, previousDelay?: number): Promise<Ready> {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index), [SERVE_COMMAND_ENV]: JSON.stringify(entry.command) });
    workers.set(index, worker);
    const since = Date.now();
    const restart = previousDelay !== undefined;
    return new Promise<Ready>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: unknown) => {
        if (!isReady(message)) return;
        ready = true;
        if (restart) log(`gateway worker ${index} is serving again (pid ${worker.process.pid})`);
        resolve(message);
      });
      worker.on('exit', (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        const how = `${ready ? '' : 'before it served '}(${signal ?? `code ${code}`})`;
        if (!ready && !restart) return reject(new Error(`gateway worker ${index} (pid ${worker.process.pid}) exited ${how}`));
        if (stopping) return;
        const delay = restartDelay(previousDelay, Date.now() - since);
        log(`gateway worker ${index} (pid ${worker.process.pid}) exited ${how}; starting it again in ${delay} ms`);
        setTimeout(() => void (stopping || start(index, delay).catch(() => undefined)), delay).unref();
      });
    });
  }
}

/** SIGTERM, and SIGKILL for a worker still there after STOP_WAIT_MS. */
function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_WAIT_MS);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}
