// Runs tasks one after the other: a mirror applies reloads in the order they were asked for, so
// an older read never overwrites a newer one.

export function serially(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}
