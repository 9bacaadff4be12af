// How a benchmark child process tells the harness it is serving: one stdout line, a marker and
// JSON (its URLs, files and pid). Everything else a child prints is passed through as log.

export const READY_MARKER = 'BENCH_READY ';

export interface SubgraphProcessReady {
  pid: number;
  control: string;
  supergraphFile: string;
  subgraphs: { name: string; url: string; sdlFile: string }[];
}

export interface GatewayReady {
  pid: number;
  url: string;
}

export function announceReady(details: object): void {
  process.stdout.write(`${READY_MARKER}${JSON.stringify({ pid: process.pid, ...details })}\n`);
}

/** Stops the process on SIGTERM/SIGINT after `close`, and on a parent that went away. */
export function stopOnSignal(close: () => Promise<unknown>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}
