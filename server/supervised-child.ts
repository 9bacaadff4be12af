// The child's half of server/supervisor.ts: take the start settings over IPC, report the URL once
// listening (or why not), and exit when stopped or orphaned.

export type ChildReport = { url: string } | { error: string };

export interface Serving {
  url: string;
  close(): Promise<void>;
}

/** Runs `serve` on the settings the supervisor sends, in the process this module is loaded in. */
export function serveSupervised<S>(serve: (start: S) => Promise<Serving>): void {
  let running: Promise<Serving> | undefined;
  let stopping = false;

  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    void (running ?? Promise.resolve(undefined))
      .then((serving) => serving?.close())
      .catch(() => undefined)
      .finally(() => process.exit(code));
  };

  const report = (message: ChildReport, then: () => void = () => undefined): void => {
    if (process.connected) process.send!(message, then);
    else then();
  };

  process.once('message', (start: S) => {
    running = serve(start);
    running.then(
      (serving) => report({ url: serving.url }),
      (error: unknown) => report({ error: describe(error) }, () => process.exit(1)),
    );
  });
  // The parent closing the channel means it stopped or died: no child outlives its platform.
  process.once('disconnect', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  // Ctrl-C reaches the whole process group; the parent stops the gateway, then the providers.
  process.on('SIGINT', () => undefined);
}

/** The message, led by the error's code (`[CONFIG_INVALID] …`) so the parent prints what the operator would have seen. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `[${code}] ${error.message}` : error.message;
}
