// What a child process prints, as tests wait on it: a wait wakes on the output itself (or the
// process's exit), never on a timer, so a slow machine only makes it later, never wrong.

import type { ChildProcess } from 'node:child_process';

export interface WatchedOutput {
  /** Everything stdout and stderr carried so far. */
  text(): string;
  /** The first match of `pattern` in the output, once it is printed; rejects, naming `what` and the output, if the process exits first. */
  printed(pattern: RegExp, what: string): Promise<RegExpMatchArray>;
}

/** Collects `child`'s stdout and stderr (those of them piped) from now on. */
export function watchOutput(child: ChildProcess): WatchedOutput {
  let text = '';
  let closed = false;
  const waiting = new Set<() => void>();
  const wake = () => {
    for (const check of [...waiting]) check();
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer | string) => {
      text += chunk.toString();
      wake();
    });
  }
  // 'close', not 'exit': by then the streams have delivered everything the process printed.
  child.once('close', () => {
    closed = true;
    wake();
  });
  return {
    text: () => text,
    printed: (pattern, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) resolve(match);
          else if (closed) reject(new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode}) first:\n${text}`));
          else return;
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      }),
  };
}
